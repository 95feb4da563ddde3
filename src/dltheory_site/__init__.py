"""dltheory-site: a knowledge base of deep-learning-theory papers."""
