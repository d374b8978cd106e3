// msg() and str`` for every text the widget shows (ADR 0012), from the modules that hold them only:
// '@lit/localize' itself would bring its whole runtime into the first render.
export { msg } from '@lit/localize/init/install.js';
export { str } from '@lit/localize/internal/str-tag.js';
