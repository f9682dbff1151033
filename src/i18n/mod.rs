//! Every string the app shows, in Chinese (the default) and English. Each
//! language is one value of [`Strings`], so a string missing in either
//! language is a compile error, not a blank on someone's phone.

mod en;
mod zh;

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
pub use unioncard_api::Lang;

/// All the texts of the interface.
pub struct Strings {
    pub app_name: &'static str,
    /// The link past the top bar to the screen, for a keyboard or a screen reader.
    pub skip_to_content: &'static str,
    pub switch_lang: &'static str,
    pub switch_lang_label: &'static str,
    pub tab_home: &'static str,
    pub tab_offers: &'static str,
    pub tab_services: &'static str,
    pub tab_me: &'static str,
    pub nav_label: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub network_error: &'static str,
    pub server_error: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub register: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub name: &'static str,
    pub name_hint: &'static str,
    pub id_number: &'static str,
    pub id_number_hint: &'static str,
    pub signing_in: &'static str,
    pub registering: &'static str,
    pub form_has_errors: &'static str,
    pub welcome: &'static str,
    pub home_guest_title: &'static str,
    pub home_guest_body: &'static str,
    pub card_title: &'static str,
    pub card_status_issued: &'static str,
    pub card_status_active: &'static str,
    pub card_status_frozen: &'static str,
    pub card_status_lost: &'static str,
    pub card_issued_help: &'static str,
    pub card_active_help: &'static str,
    pub card_frozen_help: &'static str,
    pub card_lost_help: &'static str,
    pub benefits_title: &'static str,
    pub benefit_discounts: &'static str,
    pub benefit_discounts_body: &'static str,
    pub benefit_aid: &'static str,
    pub benefit_aid_body: &'static str,
    pub benefit_loans: &'static str,
    pub benefit_loans_body: &'static str,
    pub benefit_training: &'static str,
    pub benefit_training_body: &'static str,
    pub benefit_hardship: &'static str,
    pub benefit_hardship_body: &'static str,
    pub categories: [(&'static str, &'static str); 6],
    pub offers_how_steps: [&'static str; 3],
    pub services_title: &'static str,
    pub services_intro: &'static str,
    pub me_guest: &'static str,
    pub union: &'static str,
    pub role: &'static str,
    pub role_member: &'static str,
    pub role_cashier: &'static str,
    pub role_officer: &'static str,
    pub role_admin: &'static str,
    pub card_number: &'static str,
    pub bank: &'static str,
    pub status: &'static str,
    pub elder_mode: &'static str,
    pub code_label: &'static str,
    pub show_code_hint: &'static str,
    pub refreshes_in: &'static str,
    pub fullscreen: &'static str,
    pub close: &'static str,
    pub offline_mode: &'static str,
    pub activate_title: &'static str,
    pub activate_intro: &'static str,
    pub card_no: &'static str,
    pub card_no_hint: &'static str,
    pub activate: &'static str,
    pub activating: &'static str,
    pub cancel: &'static str,
    pub cashier_intro: &'static str,
    pub code_hint: &'static str,
    pub check: &'static str,
    pub checking: &'static str,
    pub camera_unavailable: &'static str,
    pub check_valid: &'static str,
    pub check_not_valid: &'static str,
    pub holder: &'static str,
    pub workplace_union: &'static str,
    pub workplace_union_hint: &'static str,
    pub search: &'static str,
    pub no_results: &'static str,
    pub chosen: &'static str,
    pub workplace: &'static str,
    pub workplace_hint: &'static str,
    pub submit_application: &'static str,
    pub submitting: &'static str,
    pub join_pending: &'static str,
    pub join_approved: &'static str,
    pub join_rejected: &'static str,
    pub choose_union_first: &'static str,
    pub staff_title: &'static str,
    pub staff_intro: &'static str,
    pub staff_join_requests: &'static str,
    pub staff_join_requests_help: &'static str,
    pub staff_roster: &'static str,
    pub staff_roster_help: &'static str,
    pub staff_cards: &'static str,
    pub staff_cards_help: &'static str,
    pub choose_file: &'static str,
    pub upload: &'static str,
    pub uploading: &'static str,
    pub processing: &'static str,
    pub rows: &'static str,
    pub added: &'static str,
    pub updated: &'static str,
    pub unchanged: &'static str,
    pub line: &'static str,
    pub reason: &'static str,
    pub find: &'static str,
    pub freeze: &'static str,
    pub unfreeze: &'static str,
    pub all_categories: &'static str,
    pub near_me: &'static str,
    pub locating: &'static str,
    pub location_denied: &'static str,
    pub load_more: &'static str,
    pub no_merchants: &'static str,
    pub km_away: &'static str,
    pub m_away: &'static str,
    pub typical_saving: &'static str,
    pub typical_saving_mid: &'static str,
    pub use_offer: &'static str,
    pub getting_code: &'static str,
    pub offer_code_title: &'static str,
    pub expires_in: &'static str,
    pub address: &'static str,
    pub hours: &'static str,
    pub weekends_only: &'static str,
    pub limit_per_day: &'static str,
    pub limit_per_month: &'static str,
    pub times: &'static str,
    pub complaint_refused: &'static str,
    pub complaint_wrong: &'static str,
    pub complaint_other: &'static str,
    pub send: &'static str,
    pub history: &'static str,
    pub bill: &'static str,
    pub offer_code_input: &'static str,
    pub offer_code_input_hint: &'static str,
    pub bill_amount: &'static str,
    pub bill_amount_hint: &'static str,
    pub bad_amount: &'static str,
    pub total: &'static str,
    pub staff_complaints: &'static str,
    pub staff_complaints_help: &'static str,
    pub back: &'static str,
    pub open_desk: &'static str,
    pub free: &'static str,
    pub provider: &'static str,
    pub certificate: &'static str,
    pub sessions: &'static str,
    pub seats_left: &'static str,
    pub session_full: &'static str,
    pub signup_deadline: &'static str,
    pub sign_up: &'static str,
    pub join_waitlist: &'static str,
    pub staff_training: &'static str,
    pub staff_training_help: &'static str,
    pub course_title: &'static str,
    pub fee_yuan: &'static str,
    pub starts_at: &'static str,
    pub ends_at: &'static str,
    pub capacity: &'static str,
    pub place: &'static str,
    pub attended: &'static str,
    pub absent: &'static str,
    pub certificate_no: &'static str,
    pub plan_enrolled: &'static str,
    pub plan_can_enrol: &'static str,
    pub plan_cannot_enrol: &'static str,
    pub you_pay: &'static str,
    pub payer_member: &'static str,
    pub payer_workplace: &'static str,
    pub payer_split: &'static str,
    pub any_member: &'static str,
    pub women_members: &'static str,
    pub men_members: &'static str,
    pub years_old: &'static str,
    pub active_card_needed: &'static str,
    pub no_cap: &'static str,
    pub hospital_grade: &'static str,
    pub stay_number: &'static str,
    /// The stay a plan's rule fixes; `{n}` is its number.
    pub stay_number_fixed: &'static str,
    pub hospital_days: &'static str,
    pub total_cost: &'static str,
    pub insurance_paid: &'static str,
    pub self_pay: &'static str,
    pub disease_group: &'static str,
    pub choose: &'static str,
    pub admitted_on: &'static str,
    pub discharged_on: &'static str,
    pub hospital_name: &'static str,
    pub documents: &'static str,
    pub add_document: &'static str,
    pub remove: &'static str,
    pub next_step: &'static str,
    pub next_draft: &'static str,
    pub next_submitted: &'static str,
    pub next_under_review: &'static str,
    pub next_documents: &'static str,
    pub next_approved: &'static str,
    pub next_rejected: &'static str,
    pub next_paid: &'static str,
    pub document_pdf: &'static str,
    pub staff_aid: &'static str,
    pub staff_aid_help: &'static str,
    pub queue_open: &'static str,
    pub decision_note: &'static str,
    pub employment_status: &'static str,
    pub college_graduate: &'static str,
    pub local_hukou: &'static str,
    pub precheck_ok: &'static str,
    pub precheck_no: &'static str,
    pub max_amount: &'static str,
    pub what_to_change: &'static str,
    pub step_applicant: &'static str,
    pub step_business: &'static str,
    pub step_loan: &'static str,
    pub step_partners: &'static str,
    pub step_documents: &'static str,
    pub due_on: &'static str,
    pub subsidy: &'static str,
    pub subsidy_full: &'static str,
    pub subsidy_member_rate: &'static str,
    pub staff_loans: &'static str,
    pub staff_loans_help: &'static str,
    pub follow_up_note: &'static str,
    pub months_unit: &'static str,
    pub figures_title: &'static str,
    pub figures_help: &'static str,
    pub issued_label: &'static str,
    pub activated_label: &'static str,
    pub used_label: &'static str,
    pub activation_rate_label: &'static str,
    pub usage_rate_label: &'static str,
    pub redemptions_label: &'static str,
    pub savings_label: &'static str,
    pub enrolments_label: &'static str,
    pub claims_paid_label: &'static str,
    pub loans_label: &'static str,
    pub signups_label: &'static str,
    pub sort_by: &'static str,
    pub audit_title: &'static str,
    pub audit_help: &'static str,
    pub all_actions: &'static str,
    pub waiting_label: &'static str,
    pub no_entries: &'static str,
    pub manage_merchants: &'static str,
    pub manage_merchants_help: &'static str,
    pub manage_unions: &'static str,
    pub manage_unions_help: &'static str,
    pub new_merchant: &'static str,
    pub merchant_name: &'static str,
    pub latitude: &'static str,
    pub longitude: &'static str,
    pub contract_from: &'static str,
    pub contract_to: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub offer_title: &'static str,
    pub kind_percent: &'static str,
    pub kind_amount: &'static str,
    pub kind_fixed: &'static str,
    pub percent_off: &'static str,
    pub amount_off: &'static str,
    pub member_price: &'static str,
    pub min_spend_short: &'static str,
    pub valid_from: &'static str,
    pub valid_to: &'static str,
    pub saved_note: &'static str,
    pub union_name: &'static str,
    pub manage_plans: &'static str,
    pub manage_plans_help: &'static str,
    pub plan_name: &'static str,
    pub rule_share: &'static str,
    pub rule_flat: &'static str,
    pub rule_daily: &'static str,
    pub rule_groups: &'static str,
    pub close_plan: &'static str,
    pub reopen_plan: &'static str,
    pub disabled_label: &'static str,
    pub no_documents: &'static str,
    pub change_password: &'static str,
    pub password_mismatch: &'static str,
    pub changing_password: &'static str,
    pub password_changed: &'static str,
    pub account_active: &'static str,
    pub account_enabled_done: &'static str,
    pub account_disabled_done: &'static str,
    pub disable_account_full: &'static str,
    pub enable_account_full: &'static str,
    pub disable_account_confirm: &'static str,
    pub confirm_disable: &'static str,
    /// After a 429 message; `{n}` is the minutes.
    pub try_again_in: &'static str,
    pub answer_yes: &'static str,
    pub answer_no: &'static str,
    pub precheck_open: &'static str,
    pub claims_open_from: &'static str,
    pub nothing_to_pay: &'static str,
    pub collected_by_workplace: &'static str,
    pub inbox_title: &'static str,
    pub bell_unread: &'static str,
    pub unread: &'static str,
    pub elder_switch: &'static str,
    pub time_once: &'static str,
    pub cashier_intro_type: &'static str,
    pub complaint_choose_kind: &'static str,
    pub manage_campaigns: &'static str,
    pub manage_campaigns_help: &'static str,
    pub campaign_published: &'static str,
    pub campaigns_label: &'static str,
    pub campaign_until: &'static str,
    pub bad_count: &'static str,
    pub no_group: &'static str,
    pub contribution_paid_on: &'static str,
    pub manage_contributions: &'static str,
    pub manage_contributions_help: &'static str,
    pub confirm_contributions: &'static str,
    pub contributions_recorded: &'static str,
    pub kept_as_of: &'static str,
    pub hardship_no_category: &'static str,
    pub hardship_proposal: &'static str,
    pub hardship_line_is: &'static str,
    pub household_size: &'static str,
    pub valid_until: &'static str,
    pub staff_hardship: &'static str,
    pub staff_hardship_help: &'static str,
    pub benefit_education: &'static str,
    pub benefit_education_body: &'static str,
    pub benefit_centres: &'static str,
    pub benefit_centres_body: &'static str,
}

/// The strings of a language. English is Chinese until this app has its
/// table ([`english_is`] or [`english_from`]); the language switch waits for
/// it, so nobody sees the mix.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &zh::ZH,
        Lang::En => ENGLISH_TABLE.get().copied().unwrap_or(&zh::ZH),
    }
}

/// A future that fetches the English table (`None`: it could not come).
pub type EnglishLoader =
    fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<&'static Strings>>>>;

static ENGLISH_TABLE: std::sync::OnceLock<&'static Strings> = std::sync::OnceLock::new();
static ENGLISH_LOADER: std::sync::OnceLock<EnglishLoader> = std::sync::OnceLock::new();

/// The desk apps carry English in their download: they name it at start.
pub fn english_is(table: &'static Strings) {
    let _ = ENGLISH_TABLE.set(table);
}

/// The member app fetches English (a chunk of its own, about 7 KB that most
/// members never need) the first time it is chosen.
pub fn english_from(loader: EnglishLoader) {
    let _ = ENGLISH_LOADER.set(loader);
}

/// The English table itself, for the apps that carry or fetch it.
pub fn english_table() -> &'static Strings {
    &en::EN
}

/// A language's name in that language (`简体中文`, `English`), whichever
/// language the interface shows: someone who cannot read the current one
/// still finds their own.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "简体中文",
        Lang::En => "English",
    }
}

const LANG_KEY: &str = "uc_lang";
const ELDER_KEY: &str = "uc_elder";

/// English is chosen: read by the API client for `Accept-Language`, outside
/// any reactive scope.
static ENGLISH: AtomicBool = AtomicBool::new(false);

/// The language the API client should ask the server for.
pub fn current_lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// The language and text-size settings, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The chosen language.
    pub lang: RwSignal<Lang>,
    /// Larger text for older members.
    pub elder: RwSignal<bool>,
}

impl I18n {
    /// Reads the saved settings and provides them to the whole app.
    pub fn provide() -> I18n {
        let saved = storage_get(LANG_KEY)
            .map(|t| Lang::from_tag(&t))
            .unwrap_or_default();
        let elder = storage_get(ELDER_KEY).as_deref() == Some("1");
        let i18n = I18n {
            lang: RwSignal::new(Lang::Zh),
            elder: RwSignal::new(elder),
        };
        i18n.choose(saved);
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
            storage_set(LANG_KEY, lang.tag());
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            document().set_title(strings(lang).app_name);
        });
        Effect::new(move |_| {
            let on = i18n.elder.get();
            storage_set(ELDER_KEY, if on { "1" } else { "0" });
            if let Some(root) = document().document_element() {
                let _ = root.class_list().toggle_with_force("elder", on);
            }
        });
        provide_context(i18n);
        i18n
    }

    /// Switches the language once its strings are here (English may have to
    /// be fetched first; if it cannot come, the language stays as it was).
    pub fn choose(self, lang: Lang) {
        if lang == Lang::Zh || ENGLISH_TABLE.get().is_some() {
            self.lang.set(lang);
            return;
        }
        let Some(load) = ENGLISH_LOADER.get().copied() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Some(table) = load().await {
                english_is(table);
                self.lang.set(Lang::En);
            }
        });
    }

    /// The strings of the current language (reactive).
    pub fn t(&self) -> &'static Strings {
        strings(self.lang.get())
    }
}

/// A text of the interface that follows the language switch.
///
/// Takes a plain function (`tr(|s| s.sign_in)`), so every call site shares one
/// closure type: the reactive text code is compiled once, not once per
/// string, which keeps the wasm small.
pub fn tr(
    pick: fn(&'static Strings) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_i18n().lang;
    move || pick(strings(lang.get()))
}

/// A text written beside its screen in both languages, for screens that
/// live in a chunk of their own (the desk's money screens, 到账记录): their
/// words then come with their code, and the member app's first load, which
/// carries every string of [`Strings`], never carries them. Both languages
/// are required, so neither can be left blank.
pub fn both(
    zh: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_i18n().lang;
    move || lang.get().pick(zh, en)
}

/// The app's [`I18n`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}
