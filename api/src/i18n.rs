//! The languages UnionCard speaks. Chinese first: it is the default everywhere.

use serde::{Deserialize, Serialize};

/// A language of the user interface and of error messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in `lang` attributes and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks a language from an `Accept-Language` header or a stored tag.
    /// Anything that does not ask for English first gets Chinese.
    pub fn from_tag(header: &str) -> Lang {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// An officer-written text in this language: the English version when
    /// English is asked for and one was written, else the Chinese (which
    /// every such text has).
    pub fn written<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        if self == Lang::En && !en.trim().is_empty() {
            en
        } else {
            zh
        }
    }

    /// Chooses between a Chinese and an English text.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_english_only_when_asked_first() {
        assert_eq!(Lang::from_tag("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_tag("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::from_tag(""), Lang::Zh);
        assert_eq!(Lang::from_tag(Lang::En.tag()), Lang::En);
    }
}
