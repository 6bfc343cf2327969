"""Markdown -> HTML for the reports: one self-contained page per report.

:func:`markdown_to_html` converts the Markdown subset that
:func:`impact.reporting.report.render_report` writes (headings, paragraphs, lists, block
quotes, pipe tables, images, inline code, links, strong, emphasis, backslash escapes) into
one HTML page with inline CSS; PNG images are embedded as base64 ``data:`` URIs. The page
opens with a table of contents (every ``##`` section) and can end with an
:class:`AnchoredTable` whose rows carry ids (``id="row-7"``): links to
``estimates.csv#row-7`` are then rewritten to ``#row-7``, so every internal link resolves
in a browser without the CSV file.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["AnchoredTable", "markdown_to_html"]


@dataclasses.dataclass(frozen=True)
class AnchoredTable:
    """A table appended to the HTML page whose rows are link targets.

    Parameters
    ----------
    heading : str
        The ``##`` heading of the appended section (its id is ``anchor_prefix`` + ``table``).
    intro : sequence of str
        Paragraphs (Markdown subset) before the table.
    header : sequence of str
        Column names; the first names the row-number column the page adds.
    rows : sequence of sequence of str
        Cells, already formatted; row ``n`` (1-based) gets ``id="<anchor_prefix><n>"``.
    source : str
        The file the rows come from (``estimates.csv``): links ``<source>#<prefix><n>`` in
        the page are rewritten to ``#<prefix><n>``.
    anchor_prefix : str, default "row-"
    """

    heading: str
    intro: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    source: str
    anchor_prefix: str = "row-"

_INLINE = re.compile(
    r"(?P<code>`(?P<ctext>[^`]+)`)"
    r"|(?P<img>!\[(?P<ialt>(?:\\.|[^\]\\])*)\]\((?P<isrc>[^)\s]+)\))"
    r"|(?P<link>\[(?P<ltext>(?:\\.|[^\]\\])*)\]\((?P<href>[^)\s]+)"
    r"(?:\s+\"(?P<ltitle>[^\"]*)\")?\))"
    r"|(?P<strong>\*\*(?P<stext>(?:\\.|[^*\\])+?)\*\*)"
    r"|(?P<em>\*(?P<etext>(?:\\.|[^*\\\s])(?:\\.|[^*\\])*?)\*)"
    r"|(?P<esc>\\(?P<echar>[\\`*\[\]|<>_#]))"
)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}th{background:#f3f3f3}
blockquote{border-left:.4rem solid #b00020;background:#fdecee;margin:.8rem 0;padding:.4rem .9rem}
img{max-width:100%;height:auto}code{background:#f3f3f3;padding:0 .2rem}
nav.toc{background:#f7f7f7;border:1px solid #ddd;padding:.4rem 1rem;margin:1rem 0}
tr:target{background:#fff3b0}
a{color:#0645ad;text-decoration:none}a:hover{text-decoration:underline}
""".strip()


def _inline(text: str, *, base_dir: Path | None) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        if m.group("code") is not None:
            out.append(f"<code>{html.escape(m.group('ctext'), quote=False)}</code>")
        elif m.group("img") is not None:
            out.append(_img(m.group("ialt"), m.group("isrc"), base_dir=base_dir))
        elif m.group("link") is not None:
            title = m.group("ltitle")
            attr = f' title="{html.escape(title)}"' if title else ""
            inner = _inline(m.group("ltext"), base_dir=base_dir)
            out.append(f'<a href="{html.escape(m.group("href"))}"{attr}>{inner}</a>')
        elif m.group("strong") is not None:
            out.append(f"<strong>{_inline(m.group('stext'), base_dir=base_dir)}</strong>")
        elif m.group("em") is not None:
            out.append(f"<em>{_inline(m.group('etext'), base_dir=base_dir)}</em>")
        else:
            out.append(html.escape(m.group("echar"), quote=False))
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _img(alt: str, src: str, *, base_dir: Path | None) -> str:
    alt_text = html.escape(re.sub(r"\\(.)", r"\1", alt))
    path = (base_dir / src) if base_dir is not None else None
    if path is not None and path.is_file() and path.suffix.lower() == ".png":
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img alt="{alt_text}" src="data:image/png;base64,{data}">'
    return f'<img alt="{alt_text}" src="{html.escape(src)}">'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _cells(line: str) -> list[str]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return [c.strip() for c in _CELL_SPLIT.split(s)]


def markdown_to_html(
    text: str,
    *,
    base_dir: str | Path | None = None,
    lang: str = "en",
    title: str = "",
    toc_heading: str | None = None,
    appendix: AnchoredTable | None = None,
) -> str:
    """Convert the Markdown subset of the reports into one self-contained HTML page.

    Supported: ATX headings, paragraphs, ``- `` lists, ``> `` block quotes, pipe tables,
    images on their own line, and inline code, links (with an optional title), strong,
    emphasis and backslash escapes. PNG images found under ``base_dir`` are embedded as
    ``data:image/png;base64`` URIs, so the page needs no other file to show them.

    Parameters
    ----------
    text : str
        Markdown as written by :func:`impact.reporting.report.render_report`.
    base_dir : str or pathlib.Path, optional
        Folder that image paths are relative to (the results folder).
    lang : str, default "en"
        The ``lang`` attribute of the page.
    title : str, default ""
        The page title.
    toc_heading : str, optional
        When given, a table of contents under this heading (links to every ``##``
        section) follows the first block after the ``#`` title.
    appendix : AnchoredTable, optional
        A section appended at the end whose rows are link targets; links to its
        ``source`` file's rows are rewritten to point at them.

    Returns
    -------
    str
        A complete HTML document with inline CSS.
    """
    base = Path(base_dir) if base_dir is not None else None
    if appendix is not None:
        text = text.replace(f"]({appendix.source}#{appendix.anchor_prefix}",
                            f"](#{appendix.anchor_prefix}")
        text = text.rstrip("\n") + "\n\n" + f"## {appendix.heading}\n\n" + "\n\n".join(
            appendix.intro) + "\n"
    lines = text.splitlines()
    body: list[str] = []
    used: dict[str, int] = {}
    i = 0
    n = len(lines)

    def starts_block(s: str) -> bool:
        return bool(re.match(r"#{1,6} |> ?|\||- |!\[", s))

    while i < n:
        line = lines[i]
        s = line.strip()
        if not s:
            i += 1
            continue
        m = re.match(r"(#{1,6}) (.*)", s)
        if m:
            level = len(m.group(1))
            slug = _slug(re.sub(r"\\(.)", r"\1", m.group(2)))
            used[slug] = used.get(slug, 0) + 1
            if used[slug] > 1:
                slug = f"{slug}-{used[slug]}"
            body.append(f'<h{level} id="{slug}">{_inline(m.group(2), base_dir=base)}'
                        f"</h{level}>")
            i += 1
        elif s.startswith(">"):
            quote = []
            while i < n and lines[i].strip().startswith(">"):
                quote.append(lines[i].strip()[1:].strip())
                i += 1
            body.append(f"<blockquote><p>{_inline(' '.join(quote), base_dir=base)}"
                        "</p></blockquote>")
        elif s.startswith("|"):
            block = []
            while i < n and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            header = _cells(block[0])
            rows = [_cells(r) for r in block[2:]] if len(block) > 1 else []
            parts = ["<table>", "<thead><tr>"]
            parts += [f"<th>{_inline(c, base_dir=base)}</th>" for c in header]
            parts.append("</tr></thead><tbody>")
            for r in rows:
                parts.append("<tr>" + "".join(f"<td>{_inline(c, base_dir=base)}</td>"
                                              for c in r) + "</tr>")
            parts.append("</tbody></table>")
            body.append("".join(parts))
        elif s.startswith("- "):
            items: list[str] = []
            while i < n and (lines[i].strip().startswith("- ") or (
                    lines[i].startswith("  ") and lines[i].strip() and items)):
                cur = lines[i].strip()
                if cur.startswith("- "):
                    items.append(cur[2:])
                else:
                    items[-1] += " " + cur
                i += 1
            body.append("<ul>" + "".join(f"<li>{_inline(it, base_dir=base)}</li>"
                                         for it in items) + "</ul>")
        elif re.fullmatch(r"!\[(?:\\.|[^\]\\])*\]\([^)\s]+\)", s):
            body.append(f"<figure>{_inline(s, base_dir=base)}</figure>")
            i += 1
        else:
            para = [s]
            i += 1
            while i < n and lines[i].strip() and not starts_block(lines[i].strip()):
                para.append(lines[i].strip())
                i += 1
            body.append(f"<p>{_inline(' '.join(para), base_dir=base)}</p>")
    if appendix is not None:
        parts = ['<table class="anchored">', "<thead><tr>"]
        parts += [f"<th>{html.escape(str(c))}</th>" for c in appendix.header]
        parts.append("</tr></thead><tbody>")
        for n, row in enumerate(appendix.rows, start=1):
            parts.append(f'<tr id="{html.escape(appendix.anchor_prefix)}{n}"><td>{n}</td>'
                         + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
        body.append("".join(parts))
    if toc_heading is not None:
        sections = [(m.group(1), m.group(2)) for m in
                    (re.match(r'<h2 id="([^"]+)">(.*)</h2>', b) for b in body) if m]
        toc = (f'<nav class="toc"><p><strong>{html.escape(toc_heading)}</strong></p><ol>'
               + "".join(f'<li><a href="#{sid}">{inner}</a></li>' for sid, inner in sections)
               + "</ol></nav>")
        first_h2 = next((i for i, b in enumerate(body) if b.startswith("<h2 ")), len(body))
        body.insert(first_h2, toc)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
