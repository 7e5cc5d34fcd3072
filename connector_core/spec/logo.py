"""A connector's logo is one SVG that every platform's icon is rendered from, so it must render the
same everywhere: a square picture with no text (fonts differ per host), no script and nothing
fetched from elsewhere (hosts and scanners refuse external references)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FORBIDDEN_ELEMENTS = ("text", "tspan", "textPath", "script", "image", "foreignObject")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def check_svg(text: str) -> str:
    """The SVG text unchanged, or a ValueError saying which rule it breaks."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ValueError(f"the logo is not well-formed XML: {error}") from None
    if _local(root.tag) != "svg" or _namespace(root.tag) not in ("", SVG_NAMESPACE):
        raise ValueError(f"the logo's root element must be <svg>, got <{_local(root.tag)}>")
    _check_square_view_box(root.get("viewBox"))
    for element in root.iter():
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            raise ValueError(f"the logo must not contain <{name}> (draw shapes with paths; no text, script or images)")
        for attribute, value in element.attrib.items():
            _check_attribute(name, _local(attribute), value)
        if name == "style" and element.text and (_EXTERNAL_URL.search(element.text) or "@import" in element.text):
            raise ValueError("the logo's <style> fetches from outside the file (url() or @import)")
    return text


def _check_square_view_box(view_box: str | None) -> None:
    numbers = re.findall(_NUMBER, view_box or "")
    if len(numbers) != 4:
        raise ValueError("the logo's <svg> needs a viewBox of four numbers, e.g. viewBox=\"0 0 64 64\"")
    width, height = float(numbers[2]), float(numbers[3])
    if width <= 0 or width != height:
        raise ValueError(f"the logo's viewBox must be square, got width {numbers[2]} and height {numbers[3]}")


def _check_attribute(element: str, attribute: str, value: str) -> None:
    if attribute == "href" and not value.startswith("#"):
        raise ValueError(f"the logo's <{element}> links to {value!r}: only references inside the file (#id) are allowed")
    if attribute.lower().startswith("on"):
        raise ValueError(f"the logo's <{element}> has an event handler {attribute!r}")
    if _EXTERNAL_URL.search(value):
        raise ValueError(f"the logo's <{element}> {attribute} refers to an external url(): only url(#id) is allowed")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
