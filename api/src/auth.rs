//! Registration, sign-in and the signed-in person's profile (`/api/me`).

use serde::{Deserialize, Serialize};

use crate::card::CardSummary;
use crate::error::FieldProblems;
use crate::identity::{IdNumber, NewPassword, PersonName, Phone};

/// `POST /api/auth/register`: a roster member creates their account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// Mobile number that will sign in, e.g. `13800000003`.
    pub phone: String,
    /// At least 8 characters with letters and digits.
    pub password: String,
    /// Name as on the ID card and in the union's roster.
    pub name: String,
    /// 18-character resident ID number.
    pub id_number: String,
}

/// A registration whose every field parsed.
#[derive(Debug)]
pub struct Registration {
    /// The sign-in phone.
    pub phone: Phone,
    /// The new password.
    pub password: NewPassword,
    /// The name to match against the roster.
    pub name: PersonName,
    /// The ID number to match against the roster.
    pub id_number: IdNumber,
}

impl RegisterRequest {
    /// Parses every field, collecting all problems at once so the form can
    /// show each next to its field.
    pub fn parse(&self) -> Result<Registration, FieldProblems> {
        let mut problems = FieldProblems::default();
        let phone = problems.check("phone", Phone::parse(&self.phone));
        let password = problems.check("password", NewPassword::parse(&self.password));
        let name = problems.check("name", PersonName::parse(&self.name));
        let id_number = problems.check("id_number", IdNumber::parse(&self.id_number));
        match (phone, password, name, id_number) {
            (Some(phone), Some(password), Some(name), Some(id_number)) => Ok(Registration {
                phone,
                password,
                name,
                id_number,
            }),
            _ => Err(problems),
        }
    }
}

/// `POST /api/auth/login`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The registered mobile number.
    pub phone: String,
    /// The password.
    pub password: String,
}

/// What a signed-in person may do. An account has one role; `roles` in
/// [`Me`] is a list so that later combinations need no contract change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A union member using their card.
    Member,
    /// A partner merchant's cashier.
    Cashier,
    /// A union officer (工会干部) of one union, seeing it and the unions below.
    Officer,
    /// Manages unions, plans, merchants and officers.
    Admin,
    /// A union lawyer or mediator (职工律师团): sees only the rights cases
    /// assigned to them.
    Lawyer,
    /// A counsellor: publishes slots and sees only their own bookings.
    Counsellor,
}

impl Role {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Cashier => "cashier",
            Role::Officer => "officer",
            Role::Admin => "admin",
            Role::Lawyer => "lawyer",
            Role::Counsellor => "counsellor",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Role> {
        Some(match s {
            "member" => Role::Member,
            "cashier" => Role::Cashier,
            "officer" => Role::Officer,
            "admin" => Role::Admin,
            "lawyer" => Role::Lawyer,
            "counsellor" => Role::Counsellor,
            _ => return None,
        })
    }
}

/// A union in the hierarchy, as shown to a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionSummary {
    /// Union id.
    pub id: i64,
    /// Stable code used in roster files, e.g. `WH-JA-003`.
    pub code: String,
    /// Full name, e.g. `武汉市江岸区总工会`.
    pub name: String,
    /// `province`, `city`, `district` or `workplace`.
    pub level: String,
}

/// `GET /api/session`: who is signed in on this device. A guest gets
/// `{"me": null}` rather than a 401: the app asks on every start, and a
/// guest opening it is not an error (nor a red line in the console).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentSession {
    /// The signed-in person, as `GET /api/me` answers; `null` for a guest.
    pub me: Option<Me>,
}

/// `GET /api/me`: the signed-in person, with personal data masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Account id.
    pub id: i64,
    /// Display name (a member's roster name, a cashier's or officer's name).
    pub name: String,
    /// `138****0001`.
    pub phone_masked: String,
    /// `4201**********1236`; members only.
    pub id_number_masked: Option<String>,
    /// What the account may do.
    pub roles: Vec<Role>,
    /// The member's workplace union, or the officer's own union.
    pub union: Option<UnionSummary>,
    /// The member's card.
    pub card: Option<CardSummary>,
    /// A cashier's merchant.
    pub merchant_id: Option<i64>,
    /// An officer's union.
    pub union_id: Option<i64>,
}

impl Me {
    /// True when the account holds the role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// `PUT /api/admin/unions/{id}`: a union's new name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionRename {
    /// The union's new name.
    pub name: String,
}

/// Where to go after signing in, from the `next` the sign-in page was
/// opened with: only a path of this site (`/merchants/3`), never another
/// site (`//evil.example`, `https://…`) nor anything odd; `None` sends the
/// person to 首页.
pub fn return_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 200
        && !next.starts_with("/login")
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_returns_only_to_a_page_of_this_site() {
        assert_eq!(return_path("/merchants/3"), Some("/merchants/3"));
        assert_eq!(return_path("/aid/plans/4?x=1"), Some("/aid/plans/4?x=1"));
        assert_eq!(return_path("//evil.example/x"), None);
        assert_eq!(return_path("https://evil.example"), None);
        assert_eq!(return_path("/\\evil.example"), None);
        assert_eq!(return_path("/login?next=/me"), None);
        assert_eq!(return_path(""), None);
        assert_eq!(return_path("/a b"), None);
    }

    #[test]
    fn aid_plans_are_run_above_districts_and_merchants_signed_above_workplaces() {
        assert!(level_runs_aid_plans("city") && level_runs_aid_plans("province"));
        assert!(!level_runs_aid_plans("district") && !level_runs_aid_plans("workplace"));
        assert!(level_signs_merchants("district") && level_signs_merchants("city"));
        assert!(!level_signs_merchants("workplace"));
    }

    #[test]
    fn registration_collects_every_field_problem() {
        let req = RegisterRequest {
            phone: "123".into(),
            password: "short".into(),
            name: "".into(),
            id_number: "420102198803151237".into(),
        };
        let problems = req.parse().unwrap_err();
        let fields: Vec<_> = problems.0.iter().map(|(f, p)| (*f, p.code())).collect();
        assert_eq!(
            fields,
            vec![
                ("phone", "phone_format"),
                ("password", "password_too_short"),
                ("name", "required"),
                ("id_number", "id_number_checksum"),
            ]
        );
    }

    #[test]
    fn a_good_registration_parses() {
        let req = RegisterRequest {
            phone: "13912345678".into(),
            password: "Demo@2026".into(),
            name: "王芳".into(),
            id_number: "420103199501010009".into(),
        };
        let reg = req.parse().unwrap();
        assert_eq!(reg.name.as_str(), "王芳");
    }

    #[test]
    fn roles_round_trip_through_storage_names() {
        for role in [Role::Member, Role::Cashier, Role::Officer, Role::Admin] {
            assert_eq!(Role::from_db(role.as_str()), Some(role));
        }
        assert_eq!(
            serde_json::to_string(&Role::Cashier).unwrap(),
            "\"cashier\""
        );
    }
}

/// `POST /api/admin/unions`: a union below an existing one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionInput {
    /// The union above it.
    pub parent_id: i64,
    /// A short unique code, e.g. `WC-0420` (letters, digits and `-`).
    pub code: String,
    /// Its name, e.g. `武汉市武昌区某某公司工会`.
    pub name: String,
    /// The district it is in (for workplace unions).
    #[serde(default)]
    pub district: String,
}

/// A union as administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionView {
    /// Union id.
    pub id: i64,
    /// The union above it.
    pub parent_id: Option<i64>,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `province`, `city`, `district` or `workplace`.
    pub level: String,
    /// Unions directly below it.
    pub children: i64,
}

/// `POST /api/admin/officers`: an officer account for a union.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerInput {
    /// Name.
    pub name: String,
    /// Mobile number (the sign-in).
    pub phone: String,
    /// First password (the officer should change it).
    pub password: String,
    /// The union they work for.
    pub union_id: i64,
    /// `officer` (the default), `lawyer` (a union lawyer or mediator) or
    /// `counsellor`.
    #[serde(default)]
    pub role: Option<String>,
}

/// An officer account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerView {
    /// Account id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Masked phone.
    pub phone_masked: String,
    /// Their union.
    pub union_name: String,
    /// `officer`, `admin`, `lawyer` or `counsellor`.
    pub role: String,
    /// Disabled by an administrator: cannot sign in.
    #[serde(default)]
    pub disabled: bool,
}

/// Whether a union at this level may run mutual medical aid plans: the
/// province and city unions do (DOMAIN.md); districts and workplaces enrol
/// their members in them.
pub fn level_runs_aid_plans(level: &str) -> bool {
    matches!(level, "province" | "city")
}

/// Whether a union at this level signs partner merchants (and their offers):
/// city and district unions do; the province's administrators may too.
pub fn level_signs_merchants(level: &str) -> bool {
    matches!(level, "province" | "city" | "district")
}

/// The level below a level (`None` below a workplace union).
pub fn level_below(level: &str) -> Option<&'static str> {
    match level {
        "province" => Some("city"),
        "city" => Some("district"),
        "district" => Some("workplace"),
        _ => None,
    }
}

impl UnionInput {
    /// Checks the code and name.
    pub fn check(&self) -> Result<(), FieldProblems> {
        use crate::error::FieldProblem;
        let mut p = FieldProblems::default();
        let code = self.code.trim();
        if code.is_empty() {
            p.0.push(("code", FieldProblem::Required));
        } else if code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            p.0.push(("code", FieldProblem::TooLong));
        }
        let name = self.name.trim().chars().count();
        if name == 0 {
            p.0.push(("name", FieldProblem::Required));
        } else if name > 60 {
            p.0.push(("name", FieldProblem::TooLong));
        }
        if self.district.trim().chars().count() > 20 {
            p.0.push(("district", FieldProblem::TooLong));
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }
}

/// `POST /api/me/password`: the member (or any account) changes its password;
/// every other session of the account ends.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password in use now.
    pub current_password: String,
    /// The new one (8-128 characters, letters and digits).
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChange(***)")
    }
}

impl PasswordChange {
    /// Checks the form: the current password given, the new one within the
    /// policy and not the same as the current one.
    pub fn check(&self) -> Result<crate::identity::NewPassword, FieldProblems> {
        use crate::error::FieldProblem;
        let mut p = FieldProblems::default();
        if self.current_password.is_empty() {
            p.0.push(("current_password", FieldProblem::Required));
        }
        let new = match crate::identity::NewPassword::parse(&self.new_password) {
            Ok(n) => Some(n),
            Err(e) => {
                p.0.push(("new_password", e));
                None
            }
        };
        if !self.current_password.is_empty() && self.current_password == self.new_password {
            p.0.push(("new_password", FieldProblem::SameAsBefore));
        }
        match new {
            Some(n) if p.is_empty() => Ok(n),
            _ => Err(p),
        }
    }
}

/// An account as an officer sees it to disable or enable it (a member's or
/// a cashier's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    /// Account id (`POST /api/staff/accounts/{id}/access`).
    pub id: i64,
    /// Name on the account.
    pub name: String,
    /// Masked phone.
    pub phone_masked: String,
    /// `member` or `cashier`.
    pub role: String,
    /// Disabled: cannot sign in, no session.
    pub disabled: bool,
}

/// `POST /api/staff/accounts/{id}/access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountAccess {
    /// `false` disables the account (its sessions end at once); `true` enables it.
    pub enabled: bool,
}

/// Who may not call a route: the role it is for, or the union level that
/// does this work. Every one is a 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessRefusal {
    /// A member's route (their card, offers, aid, loans, training).
    MembersOnly,
    /// A cashier's route (checking cards, confirming codes).
    CashiersOnly,
    /// A union officer's route (the desk).
    OfficersOnly,
    /// An administrator's route (unions and officer accounts).
    AdminsOnly,
    /// Running aid plans, which only the province and city unions do
    /// ([`level_runs_aid_plans`]).
    AidPlansCityLevel,
    /// Signing merchants, which only the city and district unions do
    /// ([`level_signs_merchants`]).
    MerchantsDistrictLevel,
}

impl crate::error::Refused for AccessRefusal {
    fn code(&self) -> &'static str {
        match self {
            AccessRefusal::MembersOnly => "members_only",
            AccessRefusal::CashiersOnly => "cashiers_only",
            AccessRefusal::OfficersOnly => "officers_only",
            AccessRefusal::AdminsOnly => "admins_only",
            AccessRefusal::AidPlansCityLevel => "aid_plans_city_level",
            AccessRefusal::MerchantsDistrictLevel => "merchants_district_level",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        crate::error::Refusal::Forbidden
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            AccessRefusal::MembersOnly => {
                lang.pick("仅工会会员可以使用", "Only union members can do this")
            }
            AccessRefusal::CashiersOnly => lang.pick(
                "仅合作商户收银员可以使用",
                "Only partner merchants' cashiers can do this",
            ),
            AccessRefusal::OfficersOnly => {
                lang.pick("仅工会干部可以使用", "Only union officers can do this")
            }
            AccessRefusal::AdminsOnly => {
                lang.pick("仅系统管理员可以使用", "Only administrators can do this")
            }
            AccessRefusal::AidPlansCityLevel => lang.pick(
                "互助保障计划由省、市总工会举办",
                "Mutual aid plans are run by the province and city unions",
            ),
            AccessRefusal::MerchantsDistrictLevel => lang.pick(
                "合作商户由市、区总工会签约管理",
                "Partner merchants are signed by the city and district unions",
            ),
        }
        .to_string()
    }
}

/// Why registering, signing in or changing a password was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthRefusal {
    /// Sign-in with a wrong phone or password: one answer for both, so the
    /// form does not tell which phones have accounts (401).
    WrongCredentials,
    /// Registration naming no roster entry (422).
    NotInRoster,
    /// Registration for a member who already has an account (409).
    AlreadyRegistered,
    /// Registration with a phone that already has an account (409).
    PhoneTaken,
    /// A password change whose current password is wrong: 422, not 401, as
    /// the session is fine and one field is wrong.
    WrongPassword,
}

impl crate::error::Refused for AuthRefusal {
    fn code(&self) -> &'static str {
        match self {
            AuthRefusal::WrongCredentials => "wrong_credentials",
            AuthRefusal::NotInRoster => "not_in_roster",
            AuthRefusal::AlreadyRegistered => "already_registered",
            AuthRefusal::PhoneTaken => "phone_taken",
            AuthRefusal::WrongPassword => "wrong_password",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            AuthRefusal::WrongCredentials => Refusal::Unauthorized,
            AuthRefusal::AlreadyRegistered | AuthRefusal::PhoneTaken => Refusal::Conflict,
            AuthRefusal::NotInRoster | AuthRefusal::WrongPassword => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            AuthRefusal::WrongCredentials => {
                lang.pick("手机号或密码不正确", "Wrong phone number or password")
            }
            AuthRefusal::NotInRoster => lang.pick(
                "工会会员名册中没有与该姓名和身份证号相符的记录。请核对，或向所在单位工会申请入会。",
                "No roster entry matches this name and ID number. Check them, or apply to join through your workplace union.",
            ),
            AuthRefusal::AlreadyRegistered => lang.pick(
                "该会员已注册，请直接登录",
                "This member already has an account; please sign in",
            ),
            AuthRefusal::PhoneTaken => {
                lang.pick("该手机号已注册", "This phone number is already registered")
            }
            AuthRefusal::WrongPassword => {
                lang.pick("当前密码不正确", "The current password is wrong")
            }
        }
        .to_string()
    }

    fn field(&self, lang: crate::Lang) -> Option<(&'static str, String)> {
        let field = match self {
            AuthRefusal::PhoneTaken => "phone",
            AuthRefusal::WrongPassword => "current_password",
            _ => return None,
        };
        // Beside the field, the same sentence.
        Some((field, self.message(lang)))
    }
}

/// Why an administrator's change to the unions or officer accounts was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminRefusal {
    /// A new union below a workplace union ([`level_below`] has none).
    NoLevelBelow,
    /// A new union with a code another union has.
    CodeTaken,
    /// A union's new name empty or over 60 characters.
    BadName,
    /// A new officer account with a phone that already has an account.
    PhoneTaken,
    /// Disabling (or enabling) one's own account.
    OwnAccount,
}

impl crate::error::Refused for AdminRefusal {
    fn code(&self) -> &'static str {
        match self {
            AdminRefusal::NoLevelBelow => "no_level_below",
            AdminRefusal::CodeTaken => "code_taken",
            AdminRefusal::BadName => "bad_name",
            AdminRefusal::PhoneTaken => "phone_taken",
            AdminRefusal::OwnAccount => "own_account",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            AdminRefusal::NoLevelBelow | AdminRefusal::BadName => Refusal::Unprocessable,
            AdminRefusal::CodeTaken | AdminRefusal::PhoneTaken | AdminRefusal::OwnAccount => {
                Refusal::Conflict
            }
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            AdminRefusal::NoLevelBelow => lang.pick(
                "基层工会下面不能再设工会",
                "Nothing goes below a workplace union",
            ),
            AdminRefusal::CodeTaken => lang.pick("这个编码已被使用", "This code is taken"),
            AdminRefusal::BadName => lang.pick(
                "请填写名称（60 字以内）",
                "Give a name (at most 60 characters)",
            ),
            AdminRefusal::PhoneTaken => {
                lang.pick("这个手机号已有账号", "This phone already has an account")
            }
            AdminRefusal::OwnAccount => {
                lang.pick("不能停用自己的账号", "You cannot disable your own account")
            }
        }
        .to_string()
    }

    fn field(&self, lang: crate::Lang) -> Option<(&'static str, String)> {
        let (field, zh, en) = match self {
            AdminRefusal::NoLevelBelow => ("parent_id", "请选择上级工会", "Choose another parent"),
            AdminRefusal::CodeTaken => ("code", "编码已被使用", "Taken"),
            AdminRefusal::BadName => ("name", "1 到 60 字", "1 to 60 characters"),
            AdminRefusal::PhoneTaken => ("phone", "已有账号", "Already has an account"),
            AdminRefusal::OwnAccount => return None,
        };
        Some((field, lang.pick(zh, en).to_string()))
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::error::checks::assert_refusals;
    use crate::error::Refused;

    #[test]
    fn every_access_auth_and_admin_refusal_has_its_own_code_and_words() {
        use AccessRefusal::*;
        assert_refusals(&[
            MembersOnly,
            CashiersOnly,
            OfficersOnly,
            AdminsOnly,
            AidPlansCityLevel,
            MerchantsDistrictLevel,
        ]);
        assert_refusals(&[
            AuthRefusal::WrongCredentials,
            AuthRefusal::NotInRoster,
            AuthRefusal::AlreadyRegistered,
            AuthRefusal::PhoneTaken,
            AuthRefusal::WrongPassword,
        ]);
        assert_refusals(&[
            AdminRefusal::NoLevelBelow,
            AdminRefusal::CodeTaken,
            AdminRefusal::BadName,
            AdminRefusal::PhoneTaken,
            AdminRefusal::OwnAccount,
        ]);
    }

    #[test]
    fn a_wrong_sign_in_is_401_and_a_wrong_current_password_422_on_its_field() {
        assert_eq!(AuthRefusal::WrongCredentials.refusal().status(), 401);
        assert_eq!(AuthRefusal::WrongPassword.refusal().status(), 422);
        let (field, _) = AuthRefusal::WrongPassword
            .field(crate::Lang::En)
            .expect("a field");
        assert_eq!(field, "current_password");
    }
}
