//! What every case file shares: an aid claim, a loan application, and the
//! programmes built the same way (hardship files, 金秋助学, rights cases).
//! Each is a record that moves through statuses (draft, sent, reviewed,
//! decided, paid), carries documents and keeps a timeline. A programme's
//! status type says once which moves exist; the server's store turns that
//! into the guard of its conditional update, so a state change can only
//! leave the states the rule names, and the phone reads the same rule.

use crate::audit::AuditAction;
use crate::Lang;

/// The statuses of one programme's case file and the moves between them.
pub trait CaseStatus: Copy + Eq + Sized + std::fmt::Debug + Send + Sync + 'static {
    /// Where every case starts: the member's unsent draft, which nobody
    /// else sees.
    const DRAFT: Self;

    /// Every status.
    fn all() -> &'static [Self];

    /// The stored name.
    fn as_str(self) -> &'static str;

    /// What the member reads.
    fn label(self, lang: Lang) -> &'static str;

    /// Whether a case in this status may move to `to`.
    fn may_move(self, to: Self) -> bool;

    /// Whether the member may still add documents.
    fn takes_documents(self) -> bool;

    /// Whether the case is the member's to change (and to remove documents
    /// from): a draft, or one sent back to them.
    fn member_may_edit(self) -> bool;

    /// The audit log's name for a move to this status.
    fn action(self) -> AuditAction;

    /// The status stored under `name`; `None` for a name the program does
    /// not know.
    fn parse(name: &str) -> Option<Self> {
        Self::all().iter().copied().find(|s| s.as_str() == name)
    }

    /// Whether officers see the case: once it has been sent.
    fn seen_by_officers(self) -> bool {
        self != Self::DRAFT
    }

    /// The statuses a move to `to` may leave, in [`CaseStatus::all`]'s order.
    fn moves_to(to: Self) -> Vec<Self> {
        Self::all()
            .iter()
            .copied()
            .filter(|s| s.may_move(to))
            .collect()
    }

    /// Whether nothing can happen to it any more.
    fn is_final(self) -> bool {
        !Self::all().iter().any(|&to| self.may_move(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aid::ClaimStatus;
    use crate::loans::LoanStatus;

    #[test]
    fn a_claim_moves_only_the_way_the_rules_say() {
        assert_eq!(
            ClaimStatus::moves_to(ClaimStatus::Approved),
            vec![ClaimStatus::Submitted, ClaimStatus::UnderReview]
        );
        assert_eq!(
            ClaimStatus::moves_to(ClaimStatus::Paid),
            vec![ClaimStatus::Approved]
        );
        for s in [ClaimStatus::Paid, ClaimStatus::Rejected] {
            assert!(s.is_final(), "{s:?}");
        }
        assert!(!ClaimStatus::Draft.is_final());
        // Nothing moves a case back to a draft.
        assert!(ClaimStatus::moves_to(ClaimStatus::Draft).is_empty());
    }

    /// The stored names read back as the same statuses, for both
    /// programmes; officers never see a draft; every move is audited under
    /// its own programme's name.
    #[test]
    fn statuses_read_back_and_drafts_stay_private() {
        fn check<S: CaseStatus>(prefix: &str) {
            for &s in S::all() {
                assert_eq!(S::parse(s.as_str()), Some(s));
                assert_eq!(s.seen_by_officers(), s != S::DRAFT);
                assert!(
                    s.action().as_str().starts_with(prefix),
                    "{s:?} audited as {}",
                    s.action().as_str()
                );
            }
            assert_eq!(S::parse("no_such_status"), None);
            assert!(S::DRAFT.member_may_edit());
        }
        check::<ClaimStatus>("aid.claim");
        check::<LoanStatus>("loan.");
    }

    #[test]
    fn a_loan_moves_one_stage_at_a_time_or_is_rejected_before_the_money() {
        assert_eq!(
            LoanStatus::moves_to(LoanStatus::Guaranteed),
            vec![LoanStatus::UnionApproved]
        );
        assert_eq!(
            LoanStatus::moves_to(LoanStatus::Submitted),
            vec![LoanStatus::Draft]
        );
        assert_eq!(
            LoanStatus::moves_to(LoanStatus::Rejected),
            vec![
                LoanStatus::Submitted,
                LoanStatus::UnionApproved,
                LoanStatus::Guaranteed
            ]
        );
        for s in [LoanStatus::Closed, LoanStatus::Rejected] {
            assert!(s.is_final(), "{s:?}");
        }
        // Every move goes to a different status, and none leaves a final one.
        for &s in LoanStatus::all() {
            for &to in LoanStatus::all() {
                if s.may_move(to) {
                    assert_ne!(s, to);
                }
            }
        }
    }
}
