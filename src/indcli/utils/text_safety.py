"""Text safe to show: untrusted text (pack content, names, file names, user input echoed
in a message) can neither drive the terminal nor forge a line of its own, and a source URL
cannot break out of a markdown link."""

from __future__ import annotations

import re

# Characters that can drive a terminal or disguise text: C0 controls except tab and
# newline, DEL, C1 controls, and the invisible format characters (Unicode Cf, Zl, Zp):
# soft hyphen, Arabic letter mark, zero-width spaces and joiners, LRM/RLM, line and
# paragraph separators, bidi embeddings, overrides and isolates, word joiners, BOM,
# interlinear annotation, and tag characters.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Lone surrogates: how Python holds bytes of a file name that are not UTF-8 (\udcff for
# the byte 0xff); they cannot be printed, so they are shown escaped like controls.
_SURROGATES = "\ud800-\udfff"
_CONTROL = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}{_SURROGATES}]"
_CONTROL_OR_NEWLINE = f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_FORMAT}{_SURROGATES}]"
# Every character of these classes is one that str.isprintable() refuses (Cc, Cf, Cs,
# Zl, Zp; a test checks all of Unicode), so text without them skips the regular
# expressions, which are compiled only when one is needed (2-3 ms of start-up).


def _plain(text: str, keep: str = "\t\n") -> bool:
    """Whether ``text`` surely holds no character of :data:`_CONTROL` (or, with ``keep``
    only a tab, of :data:`_CONTROL_OR_NEWLINE`): a fast check that may say no."""
    if text.isprintable():
        return True
    for char in keep:
        text = text.replace(char, "")
    return text.isprintable()


def has_control_chars(text: str) -> bool:
    return not _plain(text) and re.search(_CONTROL, text) is not None


def json_safe(text: str) -> str:
    """Escape, in JSON text, the controls ``json.dumps`` leaves raw (DEL, C1, bidi).

    ``json.dumps(..., ensure_ascii=False)`` escapes only C0 controls, so a C1 CSI
    (``\\x9b``) or a bidi override would reach the terminal; as ``\\uXXXX`` it is the
    same JSON data. These characters only ever occur inside JSON strings.
    """
    if _plain(text):
        return text
    return re.sub(_CONTROL, lambda m: f"\\u{ord(m.group()):04x}", text)


def printable(text: str) -> str:
    """Replace control characters so that untrusted text cannot drive the terminal."""
    return text if _plain(text) else re.sub(_CONTROL, _escape, text)


def escape_errors(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler (registered by the CLI): what an output stream cannot encode
    (a lone surrogate, from a file name that is not UTF-8) is written escaped, never fatal."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_escape(m) for m in re.finditer(".", bad, re.S)), exc.end


def one_line(text: str) -> str:
    """:func:`printable`, and newlines escaped too: for user input echoed in a message,
    where a newline could forge a line of its own (``Error: ...``)."""
    return text if _plain(text, "\t") else re.sub(_CONTROL_OR_NEWLINE, _escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name: shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_URL = r"https://([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?(?:[/?#]\S*)?"
_URL_FORBIDDEN = set("()<>[]{}\"'`\\ ^|")


def check_source_url(value: str) -> str:
    """A source URL: https, a host name, no spaces, and none of the characters that
    close a markdown link or start HTML (a pydantic ``AfterValidator``)."""
    match = re.fullmatch(_URL, value)
    if match is None or "." not in match.group(1) or ".." in match.group(1):
        raise ValueError("must be an https:// URL with a host name, such as https://ind.nl/...")
    bad = sorted(_URL_FORBIDDEN.intersection(value))
    if bad or not value.isascii():
        shown = " ".join(repr(c) for c in bad) or "non-ASCII characters"
        raise ValueError(f"may not contain {shown}; percent-encode them (%28 for '(')")
    return value
