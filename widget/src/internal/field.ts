import { html, nothing } from 'lit';

export interface FieldSpec {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete: 'email' | 'current-password' | 'new-password' | 'username' | 'off';
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export const renderField = (field: FieldSpec) => {
  const hintId = `${field.name}-hint`;
  const errorId = `${field.name}-error`;
  const describedBy = [field.hint ? hintId : '', field.error ? errorId : ''].filter(Boolean).join(' ');
  return html`
    <div class="field" part="field">
      <label for=${field.name} part="label">${field.label}</label>
      ${field.hint ? html`<p id=${hintId} class="hint" part="hint">${field.hint}</p>` : nothing}
      <input
        id=${field.name}
        name=${field.name}
        type=${field.type}
        autocomplete=${field.autocomplete}
        value=${field.value ?? ''}
        part="input"
        required
        spellcheck="false"
        autocapitalize=${field.type === 'text' ? nothing : 'none'}
        aria-invalid=${field.error ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
      />
      ${field.error ? html`<p id=${errorId} class="field-error" part="field-error">${field.error}</p>` : nothing}
    </div>
  `;
};

/** The form's values by input name (checkboxes: "on" when checked, absent otherwise). */
export const readForm = (form: HTMLFormElement): Record<string, string> => {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') values[key] = value;
  });
  return values;
};
