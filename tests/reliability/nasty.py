"""Generators of nasty real-world input shapes (built in code to keep the repository small)."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

NOTICE = "株式会社テスト\n当社サーバーへの不正アクセスについて\n2022年8月1日、不正アクセスを確認しました。"


def pdf_bytes(pages: int = 1, text: str = "Unauthorized access notice", title: str = "Notice",
              broken_xref: bool = False) -> bytes:
    """A minimal PDF by hand: every page shows ``text`` (one shared content stream)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1")
    first_page = 5
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"] * pages
    objects.append(f"<< /Title ({title}) >>".encode("latin-1"))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        # A broken table points every object at a wrong place (pypdf must rebuild it).
        out.write(b"%010d 00000 n \n" % ((offset * 7 + 13) if broken_xref else offset))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, len(objects), xref))
    return out.getvalue()


def billion_laughs(levels: int = 10, encoding: str = "utf-8") -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    xml = (f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [{"".join(entities)}]>\n'
           f"<rss><channel><item><title>&lol{levels - 1};</title><description>x</description>"
           "</item></channel></rss>")
    return xml.encode(encoding)


def xxe_feed(target: str = "file:///etc/passwd") -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>'
            "<rss><channel><item><title>&xxe;</title><description>&xxe;</description></item>"
            "</channel></rss>").encode()


def zeros_gzip(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built in chunks (the bomb is never held expanded)."""
    out = io.BytesIO()
    chunk = bytes(1 << 20)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        for _ in range(size // len(chunk)):
            gz.write(chunk)
    return out.getvalue()


def zeros_zip(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bomb.txt", "w", force_zip64=True) as member:
            chunk = b"a" * (1 << 20)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def html_page(body: str, title: str = "お知らせ") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def mojibake() -> bytes:
    """UTF-8 Japanese read as cp1252 and saved again as UTF-8 (the classic double encoding)."""
    return NOTICE.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")


def mixed_encodings() -> bytes:
    """One page, half UTF-8 and half cp932 (pasted together by a CMS)."""
    return html_page(f"<p>{NOTICE}</p>").encode("utf-8") + \
        f"<p>{NOTICE}</p>".encode("cp932")


def deflate_raw(data: bytes) -> bytes:
    return zlib.compress(data)
