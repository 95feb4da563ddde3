"""dltheory-site: a knowledge base of deep-learning-theory papers."""

__version__ = "0.1.0"
