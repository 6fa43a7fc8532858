"""Widgets of the portal's forms.

`ConstantSelect`: a select over constant choices (a nomenclature: the 61 professions of the
Annuaire Santé) costs a template include per `<option>` through Django's form renderer, about 2 ms
for a page that otherwise takes a few. Its HTML for one name, value, attributes and choices is
rendered once per process and reused; a value outside the choices renders as usual, uncached, so
that what is kept stays bounded (choices × attribute variants).
"""

from django import forms

MAX_KEPT = 2048


class ConstantSelect(forms.Select):
    _rendered: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        try:
            choices = tuple(self.choices)
            values = {"" if v is None else str(v) for v, _label in choices}
            shown = "" if value is None else str(value)
            key = (name, shown, tuple(sorted(self.build_attrs(self.attrs, attrs).items())), choices)
            hash(key)
        except TypeError:  # grouped or unhashable choices, a list value: rendered as usual
            return super().render(name, value, attrs, renderer)
        if shown not in values:
            return super().render(name, value, attrs, renderer)
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) < MAX_KEPT:
                self._rendered[key] = html
        return html
