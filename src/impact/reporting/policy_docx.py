"""The policy note as a Word document (.docx), for a minister's desk.

:func:`note_to_docx` turns the Markdown of :func:`impact.reporting.report.policy_note`
(title line, ``###`` section headings, paragraphs of one sentence per line, images with
their caption line, ``**strong**`` and ``*emphasis*``) into a .docx file with python-docx:
the title as the document title, the sections as headings, the figures embedded from
the results folder at page width. The text is the note's, word for word, so the two
files cannot disagree; with synthetic data every line keeps its ``[SYNTHETIC]`` label.
The file is byte-for-byte reproducible (fixed document dates and zip timestamps).
python-docx is imported when a document is written.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["note_to_docx"]

_IMAGE = re.compile(r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<src>[^)\s]+)\)")
_RUNS = re.compile(r"(\*\*(?:\\.|[^*\\])+?\*\*|\*(?:\\.|[^*\\\s])(?:\\.|[^*\\])*?\*)")
_ESCAPE = re.compile(r"\\(.)")


def _add_runs(paragraph: Any, text: str) -> None:
    for part in _RUNS.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            paragraph.add_run(_ESCAPE.sub(r"\1", part[2:-2])).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 1:
            paragraph.add_run(_ESCAPE.sub(r"\1", part[1:-1])).italic = True
        else:
            paragraph.add_run(_ESCAPE.sub(r"\1", part))


def note_to_docx(
    note: str, path: str | Path, *, base_dir: str | Path | None = None, lang: str = "nl"
) -> Path:
    """Write a policy note (Markdown from :func:`~impact.reporting.report.policy_note`) as
    a .docx file.

    Parameters
    ----------
    note : str
        The note's Markdown.
    path : str or pathlib.Path
        The .docx file to write.
    base_dir : str or pathlib.Path, optional
        Folder the image paths are relative to (the results folder); an image that is not
        found there is replaced by its caption text.
    lang : {"nl", "en"}, default "nl"
        The document's language (``nl-BE`` or ``en-GB``), set as its core property.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    import docx
    from docx.shared import Cm

    base = Path(base_dir) if base_dir is not None else None
    document = docx.Document()
    props = document.core_properties
    props.language = {"nl": "nl-BE", "en": "en-GB"}.get(lang, lang)
    props.author = props.last_modified_by = "impact"
    props.created = props.modified = _FIXED_TIME
    props.revision = 1
    blocks = [b.strip("\n") for b in note.strip().split("\n\n") if b.strip()]
    for i, block in enumerate(blocks):
        lines = block.splitlines()
        if i == 0:
            props.title = _ESCAPE.sub(r"\1", lines[0])
            document.add_heading(_ESCAPE.sub(r"\1", lines[0]), level=0)
            lines = lines[1:]
        text: list[str] = []
        for line in [*lines, "### "]:  # the sentinel flushes the last paragraph
            image = _IMAGE.fullmatch(line.strip())
            if (line.startswith("### ") or image is not None) and text:
                _add_runs(document.add_paragraph(), " ".join(text))
                text = []
            if line.startswith("### "):
                if line.strip() != "###":
                    document.add_heading(_ESCAPE.sub(r"\1", line[4:]), level=1)
            elif image is not None:
                src = base / image.group("src") if base is not None else None
                if src is not None and src.is_file():
                    document.add_picture(str(src), width=Cm(16))
                else:
                    _add_runs(document.add_paragraph(), image.group("alt"))
            else:
                text.append(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))
    return path


_FIXED_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
