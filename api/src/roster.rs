//! Roster import: officers upload the member list their workplace unions keep,
//! as CSV with the header `name,id_number,phone,workplace` and an optional
//! `union_code` column. Each line is checked here (the phone can check a file
//! before sending it; the server checks again and adds what needs the
//! database: unions in scope, members already elsewhere).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::identity::{IdNumber, PersonName, Phone};
use crate::Lang;

/// One good line of a roster file.
#[derive(Clone, Debug)]
pub struct RosterRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    /// Name.
    pub name: PersonName,
    /// ID number.
    pub id_number: IdNumber,
    /// Phone.
    pub phone: Phone,
    /// Workplace.
    pub workplace: String,
    /// A union below the importing officer's, by code; `None` means the officer's own.
    pub union_code: Option<String>,
}

/// A line that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// 1-based line number in the file.
    pub line: usize,
    /// Stable reason code.
    pub code: String,
    /// The reason in words.
    pub reason: String,
}

/// The answer to an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Data lines read (without the header).
    pub rows: usize,
    /// New roster entries (each with a card in status `issued`).
    pub added: usize,
    /// Entries whose name, phone, workplace or union changed.
    pub updated: usize,
    /// Entries already exactly as in the file.
    pub unchanged: usize,
    /// Lines not imported.
    pub rejected: Vec<RejectedRow>,
}

/// Why a line is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// Fewer or more columns than the header.
    WrongColumns,
    /// No name.
    MissingName,
    /// A name with digits or symbols.
    BadName,
    /// An ID number that fails its checks (length, date, check character).
    BadIdNumber(crate::FieldProblem),
    /// A phone that is not 11 digits starting with 1.
    BadPhone,
    /// No workplace.
    MissingWorkplace,
    /// The same ID number earlier in the file.
    DuplicateInFile(usize),
    /// A union code that does not exist or is not below the officer's union.
    UnknownUnion,
    /// The person is in the roster of a union outside the officer's.
    ElsewhereInRoster,
}

impl RowProblem {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            RowProblem::WrongColumns => "wrong_columns",
            RowProblem::MissingName => "missing_name",
            RowProblem::BadName => "bad_name",
            RowProblem::BadIdNumber(_) => "bad_id_number",
            RowProblem::BadPhone => "bad_phone",
            RowProblem::MissingWorkplace => "missing_workplace",
            RowProblem::DuplicateInFile(_) => "duplicate",
            RowProblem::UnknownUnion => "unknown_union",
            RowProblem::ElsewhereInRoster => "in_other_union",
        }
    }

    /// The reason in words.
    pub fn reason(self, lang: Lang) -> String {
        match self {
            RowProblem::WrongColumns => lang
                .pick("列数与表头不符", "Column count differs from the header")
                .into(),
            RowProblem::MissingName => lang.pick("缺少姓名", "Name is missing").into(),
            RowProblem::BadName => lang
                .pick("姓名含有数字或符号", "Name contains digits or symbols")
                .into(),
            RowProblem::BadIdNumber(p) => format!(
                "{}{}",
                lang.pick("身份证号：", "ID number: "),
                p.message(lang)
            ),
            RowProblem::BadPhone => lang
                .pick("手机号格式不对", "Phone number is not valid")
                .into(),
            RowProblem::MissingWorkplace => {
                lang.pick("缺少工作单位", "Workplace is missing").into()
            }
            RowProblem::DuplicateInFile(first) => match lang {
                Lang::Zh => format!("与第 {first} 行身份证号重复"),
                Lang::En => format!("Same ID number as line {first}"),
            },
            RowProblem::UnknownUnion => lang
                .pick(
                    "工会代码不存在或不在本工会之下",
                    "Union code unknown or not below your union",
                )
                .into(),
            RowProblem::ElsewhereInRoster => lang
                .pick(
                    "此人已在其他工会的名册中",
                    "This person is in another union's roster",
                )
                .into(),
        }
    }

    /// As a report line.
    pub fn rejected(self, line: usize, lang: Lang) -> RejectedRow {
        RejectedRow {
            line,
            code: self.code().into(),
            reason: self.reason(lang),
        }
    }
}

/// The file as a whole could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// Nothing in it.
    Empty,
    /// The first line is not the expected header.
    BadHeader,
}

/// Why a roster file was refused whole (rows are rejected one by one in the
/// report instead, see [`RowProblem`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterRefusal {
    /// Sent as something other than `text/csv` (or `text/plain`).
    ExpectedCsv,
    /// Not UTF-8: Excel's plain "CSV" is in the local code page.
    NotUtf8,
    /// Nothing in it ([`FileProblem::Empty`]).
    Empty,
    /// The first line is not the expected header ([`FileProblem::BadHeader`]).
    BadHeader,
}

impl From<FileProblem> for RosterRefusal {
    fn from(p: FileProblem) -> Self {
        match p {
            FileProblem::Empty => RosterRefusal::Empty,
            FileProblem::BadHeader => RosterRefusal::BadHeader,
        }
    }
}

impl crate::error::Refused for RosterRefusal {
    fn code(&self) -> &'static str {
        match self {
            RosterRefusal::ExpectedCsv => "expected_csv",
            RosterRefusal::NotUtf8 => "not_utf8",
            RosterRefusal::Empty => "empty_file",
            RosterRefusal::BadHeader => "bad_header",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            RosterRefusal::ExpectedCsv | RosterRefusal::NotUtf8 => Refusal::BadRequest,
            RosterRefusal::Empty | RosterRefusal::BadHeader => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            RosterRefusal::ExpectedCsv => {
                lang.pick("请上传 CSV 文件", "Send the roster as text/csv")
            }
            RosterRefusal::NotUtf8 => lang.pick(
                "文件不是 UTF-8 编码。请在 Excel 中选择“另存为 CSV UTF-8”后再上传",
                "The file is not UTF-8; save it as \"CSV UTF-8\" and upload again",
            ),
            RosterRefusal::Empty => lang.pick("文件是空的", "The file is empty"),
            RosterRefusal::BadHeader => lang.pick(
                "第一行应为 name,id_number,phone,workplace（可加 union_code）",
                "The first line must be name,id_number,phone,workplace (optionally union_code)",
            ),
        }
        .to_string()
    }
}

/// Splits one CSV line, honouring double quotes (`"a, b"` and `""`).
pub fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Reads a roster file: the good rows, and a report line for each bad one.
pub fn parse_roster(
    text: &str,
    lang: Lang,
) -> Result<(Vec<RosterRow>, Vec<RejectedRow>), FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text); // Excel's UTF-8 BOM
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(FileProblem::Empty)?;
    let header: Vec<String> = split_csv_line(header)
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let has_union = match header
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["name", "id_number", "phone", "workplace"] => false,
        ["name", "id_number", "phone", "workplace", "union_code"] => true,
        _ => return Err(FileProblem::BadHeader),
    };
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, raw) in lines {
        let line = i + 1;
        let f = split_csv_line(raw);
        if f.len() != header.len() {
            rejected.push(RowProblem::WrongColumns.rejected(line, lang));
            continue;
        }
        let problem = |p: crate::FieldProblem| p;
        let name = match PersonName::parse(&f[0]) {
            Ok(n) => n,
            Err(crate::FieldProblem::Required) => {
                rejected.push(RowProblem::MissingName.rejected(line, lang));
                continue;
            }
            Err(_) => {
                rejected.push(RowProblem::BadName.rejected(line, lang));
                continue;
            }
        };
        let id_number = match IdNumber::parse(&f[1]) {
            Ok(id) => id,
            Err(p) => {
                rejected.push(RowProblem::BadIdNumber(problem(p)).rejected(line, lang));
                continue;
            }
        };
        let Ok(phone) = Phone::parse(&f[2]) else {
            rejected.push(RowProblem::BadPhone.rejected(line, lang));
            continue;
        };
        let workplace = f[3].trim().to_string();
        if workplace.is_empty() {
            rejected.push(RowProblem::MissingWorkplace.rejected(line, lang));
            continue;
        }
        if let Some(first) = seen.get(id_number.expose()) {
            rejected.push(RowProblem::DuplicateInFile(*first).rejected(line, lang));
            continue;
        }
        seen.insert(id_number.expose().to_string(), line);
        let union_code = if has_union {
            Some(f[4].trim().to_string()).filter(|c| !c.is_empty())
        } else {
            None
        };
        rows.push(RosterRow {
            line,
            name,
            id_number,
            phone,
            workplace,
            union_code,
        });
    }
    Ok((rows, rejected))
}

/// The distinct union codes a file names.
pub fn union_codes(rows: &[RosterRow]) -> HashSet<String> {
    rows.iter().filter_map(|r| r.union_code.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name,id_number,phone,workplace\n王芳,420103199501010009,13800000003,武汉长江物流有限公司\n";

    #[test]
    fn a_good_file_parses() {
        let (rows, rejected) = parse_roster(GOOD, Lang::Zh).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rejected.is_empty());
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].union_code, None);
    }

    #[test]
    fn each_bad_line_is_reported_with_its_number_and_reason() {
        let file = "\u{feff}name,id_number,phone,workplace,union_code\n\
            王芳,420103199501010009,13800000003,\"武汉长江物流, 有限公司\",WH-JH-001\n\
            ,420102198803151236,13800000001,某公司,\n\
            李四,420102198803151237,13800000001,某公司,\n\
            张三,420102198803151236,1380000,某公司,\n\
            张三,420102198803151236,13800000001,,\n\
            赵五,420103199501010009,13800000003,某公司,\n\
            只有两列,1\n";
        let (rows, rejected) = parse_roster(file, Lang::Zh).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].workplace, "武汉长江物流, 有限公司");
        assert_eq!(rows[0].union_code.as_deref(), Some("WH-JH-001"));
        let got: Vec<(usize, &str)> = rejected.iter().map(|r| (r.line, r.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (3, "missing_name"),
                (4, "bad_id_number"),
                (5, "bad_phone"),
                (6, "missing_workplace"),
                (7, "duplicate"),
                (8, "wrong_columns"),
            ]
        );
        assert!(rejected[1].reason.contains("校验位"));
        assert!(rejected[4].reason.contains("第 2 行"));
    }

    #[test]
    fn a_wrong_header_or_empty_file_is_refused_whole() {
        assert_eq!(parse_roster("", Lang::Zh).unwrap_err(), FileProblem::Empty);
        assert_eq!(
            parse_roster("姓名,身份证\n", Lang::Zh).unwrap_err(),
            FileProblem::BadHeader
        );
    }

    #[test]
    fn every_roster_refusal_has_its_own_code_and_words_in_both_languages() {
        crate::error::checks::assert_refusals(&[
            RosterRefusal::ExpectedCsv,
            RosterRefusal::NotUtf8,
            RosterRefusal::from(FileProblem::Empty),
            RosterRefusal::from(FileProblem::BadHeader),
        ]);
    }

    #[test]
    fn quotes_are_honoured() {
        assert_eq!(
            split_csv_line("a,\"b,c\",\"d\"\"e\""),
            vec!["a", "b,c", "d\"e"]
        );
    }
}
