"""`new`: skeletons, and filling them from arXiv and Crossref served by a local recorded server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from tests.helpers import REPO, copy_repository, make_project

RECORDED = REPO / "tests" / "fixtures" / "http"
NEXT = "fill it in, delete the line 'draft: true', then run 'make fmt validate'"


class Recorded(BaseHTTPRequestHandler):
    """Serves recorded arXiv and Crossref answers, and the failures tests need."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/arxiv":
            arxiv_id = parse_qs(parts.query)["id_list"][0]
            if arxiv_id == "0000.00001":
                time.sleep(2)
            if arxiv_id == "0000.00002":
                self._send(200, b"<feed><entry>unclosed", "application/atom+xml")
            elif arxiv_id == "0000.00003":
                self._send(503, b"busy", "text/plain")
            elif (RECORDED / f"arxiv-{arxiv_id}.xml").exists():
                self._send(
                    200, (RECORDED / f"arxiv-{arxiv_id}.xml").read_bytes(), "application/atom+xml"
                )
            else:
                self._send(200, (RECORDED / "arxiv-error.xml").read_bytes(), "application/atom+xml")
            return
        if parts.path.startswith("/crossref/"):
            doi = unquote(parts.path.removeprefix("/crossref/"))
            if doi == "10.0000/slow":
                time.sleep(2)
            if doi == "10.0000/bad":
                self._send(200, b'{"message": {"title": 5', "application/json")
                return
            path = RECORDED / f"crossref-{doi.replace('/', '_')}.json"
            if path.exists():
                self._send(200, path.read_bytes(), "application/json")
            else:
                self._send(404, b"Resource not found.", "text/plain")
            return
        self._send(404, b"", "text/plain")


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("DLTHEORY_ARXIV_API", f"{base}/arxiv")
    monkeypatch.setenv("DLTHEORY_CROSSREF_API", f"{base}/crossref/")
    yield base
    server.shutdown()
    server.server_close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_writes_a_commented_skeleton(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    code, out, _err = run(capsys, "new", "doe2026first", "--root", str(root))
    path = root / "entries" / "doe2026first.yaml"
    assert (code, out) == (
        0,
        f"wrote {path}: fill it in, delete the line 'draft: true', then run 'make fmt validate'\n",
    )
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == [
        "draft",
        "title",
        "authors",
        "year",
        "venue",
        "arxiv",
        "doi",
        "url",
        "code",
        "categories",
        "tags",
        "summary",
        "results",
        "relations",
        "notes",
        "bibtex",
        "comparison",
        "added",
    ]
    # A comment above every field.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith(("#", " ")):
            assert lines[i - 1].startswith("#"), line
    # Unfilled, it does not validate: validate names what is missing.
    _kb, problems = load_knowledge_base(root)
    assert {p.field for p in problems} >= {"title", "authors", "venue", "categories", "summary"}
    # A new entry is a draft until its author deletes that line.
    assert data["draft"] is True
    assert lines[3:5] == [
        "# `true` while the entry is being written (`new` starts it so): `validate` warns, the "
        "built site leaves it out and a strict build fails. Delete the line when the entry is "
        "ready.",
        "draft: true",
    ]


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    path = root / "entries" / "mine.yaml"
    path.write_text("title: mine\n", encoding="utf-8")
    code, _out, err = run(capsys, "new", "mine", "--root", str(root))
    assert (code, err) == (1, f"Error: {path} exists already; it was left unchanged\n")
    assert path.read_text(encoding="utf-8") == "title: mine\n"


def test_new_rejects_a_bad_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path)
    code, _out, err = run(capsys, "new", "Bad_Id", "--root", str(root))
    assert (code, err) == (
        1,
        "Error: 'Bad_Id' is not a valid id: use lower-case letters, digits and hyphens\n",
    )


def test_new_from_arxiv(tmp_path: Path, capsys: pytest.CaptureFixture[str], services: str) -> None:
    root = make_project(tmp_path)
    code, out, err = run(
        capsys, "new", "--arxiv", "1806.07572", "--root", str(root), "--category", "alpha/one"
    )
    assert (code, err) == (0, "")
    path = root / "entries" / "jacot2018neural.yaml"
    assert (
        out
        == f"wrote {path}: fill it in, delete the line 'draft: true', then run 'make fmt validate'\n"
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (
        data["title"] == "Neural Tangent Kernel: Convergence and Generalization in Neural Networks"
    )
    assert data["authors"] == ["Arthur Jacot", "Franck Gabriel", "Clément Hongler"]
    assert (data["year"], data["venue"], data["arxiv"]) == (2018, "arXiv", "1806.07572")
    assert data["categories"] == ["alpha/one"]


def test_new_from_crossref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], services: str
) -> None:
    root = copy_repository(tmp_path)
    (root / "entries" / "sirignano2020mean.yaml").unlink()
    for other in root.glob("taxonomy/groups/*.yaml"):  # its overview links it
        other.write_text(
            other.read_text(encoding="utf-8").replace("[[sirignano2020mean]]", "S&S"),
            encoding="utf-8",
        )
    code, _out, err = run(capsys, "new", "--doi", "10.1137/18M1192184", "--root", str(root))
    assert (code, err) == (0, "")
    data = yaml.safe_load((root / "entries" / "sirignano2020mean.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Mean Field Analysis of Neural Networks: A Law of Large Numbers"
    assert data["authors"] == ["Justin Sirignano", "Konstantinos Spiliopoulos"]
    assert (data["year"], data["venue"], data["doi"]) == (
        2020,
        "SIAM J. Appl. Math.",
        "10.1137/18M1192184",
    )
    assert data["bibtex"] == {"volume": "80", "pages": "725--752"}


def test_new_refuses_a_paper_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], services: str
) -> None:
    root = copy_repository(tmp_path)
    code, _out, err = run(capsys, "new", "--arxiv", "1806.07572", "--root", str(root))
    assert code == 1
    assert err == (
        "Error: this paper is already in the knowledge base as 'jacot2018neural' "
        f"(same arXiv id; {root}/entries/jacot2018neural.yaml)\n"
    )


# Each failure of the services: one clear message, exit 1, no file, no traceback.
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--arxiv", "9999.99999"], "arXiv has no paper 9999.99999"),
        (
            ["--arxiv", "0000.00001", "--timeout", "0.5"],
            "the arXiv API did not answer within 0.5 s; try again later, or write an empty entry "
            "with 'dltheory-site new ID' (make new ID=...) and fill in the fields by hand",
        ),
        (["--arxiv", "0000.00002"], "the arXiv API sent an answer that is not valid XML"),
        (
            ["--arxiv", "0000.00003"],
            "the arXiv API answered HTTP 503; try again later, or write an empty entry with "
            "'dltheory-site new ID' (make new ID=...) and fill in the fields by hand",
        ),
        (
            ["--arxiv", "arXiv:1806.07572"],
            "'arXiv:1806.07572' is not an arXiv id (write it like 1806.07572)",
        ),
        (["--doi", "10.0000/missing"], "Crossref has no record of it (HTTP 404)"),
        (["--doi", "10.0000/bad"], "Crossref sent an answer that could not be read"),
        (
            ["--doi", "10.0000/slow", "--timeout", "0.5"],
            "Crossref did not answer within 0.5 s; try again later, or write an empty entry "
            "with 'dltheory-site new ID' (make new ID=...) and fill in the fields by hand",
        ),
    ],
)
def test_service_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], services: str, args: list[str], message: str
) -> None:
    root = make_project(tmp_path)
    code, out, err = run(capsys, "new", "--root", str(root), *args)
    assert (code, out, err) == (1, "", f"Error: {message}\n")
    assert list((root / "entries").iterdir()) == []


def test_unreachable_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    monkeypatch.setenv("DLTHEORY_ARXIV_API", "http://127.0.0.1:9/arxiv")  # discard port: closed
    code, _out, err = run(capsys, "new", "--arxiv", "1806.07572", "--root", str(root))
    assert code == 1
    assert err.startswith("Error: cannot reach the arXiv API: ")
    # Offline, the message says how to go on without the network.
    assert err.endswith(
        "; or write an empty entry with 'dltheory-site new ID' (make new ID=...) "
        "and fill in the fields by hand\n"
    )


# The one identity rule (text.paper_keys) as `new`, `import-bib` and the checks apply it.
@pytest.mark.parametrize(
    ("arxiv", "doi", "title", "expected"),
    [
        # a version suffix and upper case do not make another paper
        ("1806.07572V2", None, None, ("arXiv id", "jacot2018neural")),
        ("arXiv:1806.07572", None, None, ("arXiv id", "jacot2018neural")),
        # a DOI is compared without its resolver prefix and case
        (None, "HTTPS://DOI.ORG/10.1137/18M1192184", None, ("DOI", "sirignano2020mean")),
        # the title alone, folded to its words
        (
            None,
            None,
            "neural tangent kernel -- convergence and generalization in neural networks",
            ("title", "jacot2018neural"),
        ),
        (None, None, "A paper nobody wrote", None),
    ],
)
def test_find_paper_is_case_and_version_insensitive(
    arxiv: str | None, doi: str | None, title: str | None, expected: tuple[str, str] | None
) -> None:
    kb, _ = load_knowledge_base(REPO)
    found = kb.find_paper(arxiv, doi, title)
    assert ((found[0], found[1].id) if found else None) == expected
