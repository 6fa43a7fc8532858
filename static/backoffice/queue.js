// « Tout sélectionner sur la page »: the checkbox [data-select-all=<name>] checks every box of that name.
document.addEventListener("change", (event) => {
  const name = event.target.dataset && event.target.dataset.selectAll;
  if (!name) return;
  const form = event.target.form || document;
  for (const box of form.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
    box.checked = event.target.checked;
  }
});
