"""Read a form from a page as a browser would send it back, so that a test changes only the
fields a person would change (admin pages have many inlines, each with its management form)."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields of the form with id `form_id`: {name: value or [values]}, as submitted."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.multiple = False
        self.options: list[tuple[str, bool]] = []
        self.option: tuple[str, bool] | None = None
        self.text: list[str] = []

    def add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self.option = (attrs.get("value", ""), "selected" in attrs)
            self.text = []

    def handle_data(self, data):
        if self.textarea is not None or self.option is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            self.options.append(self.option)
            self.option = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]  # what a browser sends when none is selected
            for value in chosen:
                self.add(self.select, value)
            self.select = None


def form_data(html: str, form_id: str, **changes) -> dict:
    """What the browser would post back from the form `form_id`, with `changes` made."""
    reader = FormReader(form_id)
    reader.feed(html)
    data = {
        name: values if len(values) > 1 else (values or [""])[0]
        for name, values in reader.fields.items()
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}
