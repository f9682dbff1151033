//! A labelled text field with its hint and error, wired for screen readers
//! (`aria-invalid`, `aria-describedby`) and for phones (input mode, autofill).

use leptos::prelude::*;

/// How a field's input behaves on a phone.
#[derive(Clone, Copy, Default)]
pub struct InputKind {
    /// `type` attribute.
    pub input_type: &'static str,
    /// `inputmode`: which keyboard the phone shows.
    pub inputmode: &'static str,
    /// `autocomplete`: what the browser may fill in.
    pub autocomplete: &'static str,
    /// `maxlength`.
    pub maxlength: u32,
}

impl InputKind {
    /// A mobile number: the digit keyboard.
    pub const PHONE: InputKind = InputKind {
        input_type: "tel",
        inputmode: "numeric",
        autocomplete: "tel-national",
        maxlength: 13,
    };
    /// An ID number: digits, but the last may be X, so a text keyboard.
    pub const ID_NUMBER: InputKind = InputKind {
        input_type: "text",
        inputmode: "text",
        autocomplete: "off",
        maxlength: 18,
    };
    /// A card number: digits, grouped in fours as printed.
    pub const CARD_NUMBER: InputKind = InputKind {
        input_type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        maxlength: 23,
    };
    /// A card number or an ID number (which may end in X): a text keyboard,
    /// room for a card number typed in groups.
    pub const CARD_OR_ID: InputKind = InputKind {
        input_type: "text",
        inputmode: "text",
        autocomplete: "off",
        maxlength: 23,
    };
    /// A 20-digit member code.
    pub const MEMBER_CODE: InputKind = InputKind {
        input_type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        maxlength: 24,
    };
    /// An amount of money in yuan: the decimal keypad.
    pub const MONEY: InputKind = InputKind {
        input_type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        maxlength: 12,
    };
    /// Free text such as a workplace.
    pub const TEXT: InputKind = InputKind {
        input_type: "text",
        inputmode: "text",
        autocomplete: "off",
        maxlength: 60,
    };
    /// A calendar date (the phone's date picker).
    pub const DATE: InputKind = InputKind {
        input_type: "date",
        inputmode: "none",
        autocomplete: "off",
        maxlength: 10,
    };
    /// A whole number (days).
    pub const COUNT: InputKind = InputKind {
        input_type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        maxlength: 4,
    };
    /// A person's name.
    pub const NAME: InputKind = InputKind {
        input_type: "text",
        inputmode: "text",
        autocomplete: "name",
        maxlength: 30,
    };
    /// The current password.
    pub const PASSWORD: InputKind = InputKind {
        input_type: "password",
        inputmode: "text",
        autocomplete: "current-password",
        maxlength: 128,
    };
    /// A new password.
    pub const NEW_PASSWORD: InputKind = InputKind {
        input_type: "password",
        inputmode: "text",
        autocomplete: "new-password",
        maxlength: 128,
    };
}

/// A labelled input. `error` is shown under it and read out with it.
#[component]
pub fn TextField(
    /// The input's id (also used for the hint and error ids and in tests).
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// A hint under the label.
    #[prop(into)]
    hint: Signal<&'static str>,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Phone keyboard and autofill.
    kind: InputKind,
    /// Called when the field loses focus (to validate it then).
    #[prop(optional)]
    on_blur: Option<Callback<()>>,
    /// Called on every change (to clear a server error).
    #[prop(optional)]
    on_input: Option<Callback<()>>,
    /// Show the password in clear (password fields only).
    #[prop(optional, into)]
    reveal: Option<Signal<bool>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    let input_type = move || match reveal {
        Some(r) if r.get() => "text",
        _ => kind.input_type,
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <span class="hint" id=hint_id>{hint}</span>
            <input
                id=id
                name=id
                type=input_type
                inputmode=kind.inputmode
                autocomplete=kind.autocomplete
                maxlength=kind.maxlength
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(cb) = on_input {
                        cb.run(());
                    }
                }
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
            />
            <span class="field-error" id=error_id aria-live="polite">
                {move || error.get().unwrap_or_default()}
            </span>
        </div>
    }
}
