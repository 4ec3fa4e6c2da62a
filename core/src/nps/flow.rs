//! The survey on one page: its stages and the one step between them. Pure:
//! `Survey::step` returns what the browser's adapter must do about a step, if
//! anything (`Effect`: keep the visitor's state, queue the answer, send an
//! event), and
//! `Survey::mark` what the mount point's `data-treue-survey` says.

use super::eligibility::Skip;
use super::score::Group;
use crate::protocol::Reason;

/// Where the survey is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Eligible; the trigger (delay, exit intent) has not fired yet.
    Waiting,
    /// The 0 to 10 question.
    Asking,
    /// A score was given: the follow-up for its segment (a promoter's has
    /// nothing to fill in, only the referral link).
    FollowUp(u8),
    /// The follow-up was sent.
    Thanked,
    /// Closed by the visitor.
    Closed,
}

/// What the visitor (or the page) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The trigger fired and the visitor is still eligible.
    Show,
    /// A score was picked (not yet submitted).
    Pick(u8),
    /// The score was submitted.
    Submit,
    /// A reason was ticked (true) or unticked.
    Tick(Reason, bool),
    /// The comment as typed so far.
    Type(String),
    /// The comment field lost focus, or the page is being hidden: what was
    /// typed is kept now.
    Pause,
    /// The follow-up was submitted.
    Send,
    /// The close button.
    Close,
    /// The widget is removed or the page left: what was given goes.
    Leave,
}

/// What the adapter does about a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The survey is on screen: record the display and send its event.
    Shown,
    /// Closed without a score: record it (the snooze applies) and send its event.
    Dismissed,
    /// A score: make the answer and queue it, `held` while a follow-up can
    /// still add to it.
    Answered { score: u8, held: bool },
    /// The follow-up changed: write the queued answer's body again.
    Keep,
    /// The follow-up is over: write the body and let the answer go.
    Release,
}

/// The survey's state on this page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub stage: Stage,
    /// The score picked, before it is submitted.
    pub picked: Option<u8>,
    /// The follow-up so far.
    pub reasons: Vec<Reason>,
    pub comment: String,
    /// A score was given on this page.
    answered: bool,
    /// The answer is held in the outbox until the follow-up ends.
    held: bool,
    /// Typed since the body was last written.
    unkept: bool,
}

impl Default for Survey {
    fn default() -> Self {
        Survey {
            stage: Stage::Waiting,
            picked: None,
            reasons: Vec::new(),
            comment: String::new(),
            answered: false,
            held: false,
            unkept: false,
        }
    }
}

impl Survey {
    /// Takes one step; returns what the adapter must do about it.
    pub fn step(&mut self, step: Step) -> Option<Effect> {
        match (self.stage, step) {
            (Stage::Waiting, Step::Show) => {
                self.stage = Stage::Asking;
                Some(Effect::Shown)
            }
            (Stage::Asking, Step::Pick(score)) if score <= 10 => {
                self.picked = Some(score);
                None
            }
            (Stage::Asking, Step::Submit) => {
                let score = self.picked?;
                self.stage = Stage::FollowUp(score);
                self.answered = true;
                // Promoters have nothing to add: their answer goes at once.
                self.held = Group::of(score) != Group::Promoter;
                Some(Effect::Answered { score, held: self.held })
            }
            (Stage::Asking, Step::Close) => {
                self.stage = Stage::Closed;
                Some(Effect::Dismissed)
            }
            (Stage::FollowUp(_), Step::Tick(reason, on)) => {
                self.reasons.retain(|r| *r != reason);
                if on {
                    self.reasons.push(reason);
                }
                self.kept()
            }
            (Stage::FollowUp(_), Step::Type(comment)) => {
                self.unkept |= comment != self.comment;
                self.comment = comment;
                None
            }
            (Stage::FollowUp(_), Step::Pause) if self.unkept => self.kept(),
            (Stage::FollowUp(_), Step::Send) => {
                self.stage = Stage::Thanked;
                self.released()
            }
            (Stage::FollowUp(_), Step::Close) => {
                self.stage = Stage::Closed;
                self.released()
            }
            (Stage::FollowUp(_), Step::Leave) => self.released(),
            (Stage::Thanked, Step::Close) => {
                self.stage = Stage::Closed;
                None
            }
            _ => None,
        }
    }

    fn kept(&mut self) -> Option<Effect> {
        self.unkept = false;
        if self.held {
            Some(Effect::Keep)
        } else {
            None
        }
    }

    fn released(&mut self) -> Option<Effect> {
        self.unkept = false;
        if std::mem::take(&mut self.held) {
            Some(Effect::Release)
        } else {
            None
        }
    }

    /// What `data-treue-survey` says: "waiting", "shown", "answered" or "dismissed".
    pub fn mark(&self) -> &'static str {
        match self.stage {
            Stage::Waiting => "waiting",
            Stage::Asking => "shown",
            Stage::FollowUp(_) | Stage::Thanked => "answered",
            Stage::Closed if self.answered => "answered",
            Stage::Closed => "dismissed",
        }
    }
}

impl Skip {
    /// What `data-treue-survey` says when the survey is not shown: "skip:<why>".
    pub fn mark(&self) -> &'static str {
        match self {
            Skip::Disabled => "skip:disabled",
            Skip::Page => "skip:page",
            Skip::TooFewVisits { .. } => "skip:visits",
            Skip::MaxDisplays => "skip:max_displays",
            Skip::Answered { .. } => "skip:answered",
            Skip::Shown { .. } => "skip:shown",
            Skip::Snoozed { .. } => "skip:snoozed",
            Skip::SurveyedElsewhere { .. } => "skip:last_survey",
            Skip::NotSampled => "skip:sampling",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked() -> Survey {
        let mut survey = Survey::default();
        assert_eq!(survey.mark(), "waiting");
        assert_eq!(survey.step(Step::Show), Some(Effect::Shown));
        assert_eq!(survey.mark(), "shown");
        survey
    }

    fn scored(score: u8) -> (Survey, Option<Effect>) {
        let mut survey = asked();
        assert_eq!(survey.step(Step::Submit), None, "nothing picked, nothing sent");
        assert_eq!(survey.step(Step::Pick(11)), None);
        survey.step(Step::Pick(score));
        let effect = survey.step(Step::Submit);
        (survey, effect)
    }

    #[test]
    fn a_promoters_answer_goes_at_once_and_the_mount_point_says_answered() {
        let (mut survey, effect) = scored(10);
        assert_eq!(effect, Some(Effect::Answered { score: 10, held: false }));
        assert_eq!(survey.stage, Stage::FollowUp(10));
        assert_eq!(survey.mark(), "answered");
        assert_eq!(survey.step(Step::Close), None, "nothing held, nothing to release");
        assert_eq!((survey.stage, survey.mark()), (Stage::Closed, "answered"));
    }

    #[test]
    fn a_detractors_answer_is_held_and_written_when_it_changes_not_per_keystroke() {
        let (mut survey, effect) = scored(3);
        assert_eq!(effect, Some(Effect::Answered { score: 3, held: true }));
        assert_eq!(survey.step(Step::Tick(Reason::Price, true)), Some(Effect::Keep));
        assert_eq!(survey.step(Step::Type("zu".into())), None);
        assert_eq!(survey.step(Step::Type("zu teuer".into())), None);
        assert_eq!(survey.comment, "zu teuer");
        assert_eq!(survey.step(Step::Pause), Some(Effect::Keep), "typed text is kept when the field is left");
        assert_eq!(survey.step(Step::Pause), None, "and only once");
        assert_eq!(survey.step(Step::Tick(Reason::Other, true)), Some(Effect::Keep));
        assert_eq!(survey.step(Step::Tick(Reason::Price, false)), Some(Effect::Keep));
        assert_eq!(survey.reasons, [Reason::Other]);
        assert_eq!(survey.step(Step::Send), Some(Effect::Release));
        assert_eq!((survey.stage, survey.mark()), (Stage::Thanked, "answered"));
        assert_eq!(survey.step(Step::Leave), None, "released once");
        survey.step(Step::Close);
        assert_eq!((survey.stage, survey.mark()), (Stage::Closed, "answered"));
    }

    #[test]
    fn closing_or_leaving_mid_follow_up_sends_what_was_given() {
        let (mut survey, _) = scored(7);
        survey.step(Step::Type("ok".into()));
        assert_eq!(survey.step(Step::Close), Some(Effect::Release));
        assert_eq!(survey.mark(), "answered");
        let (mut survey, _) = scored(0);
        assert_eq!(survey.step(Step::Leave), Some(Effect::Release));
    }

    #[test]
    fn closing_the_question_is_a_dismissal() {
        let mut survey = asked();
        assert_eq!(survey.step(Step::Close), Some(Effect::Dismissed));
        assert_eq!(survey.mark(), "dismissed");
        assert_eq!(survey.step(Step::Show), None, "a closed survey does not come back on this page");
    }

    #[test]
    fn steps_out_of_turn_do_nothing() {
        let mut survey = Survey::default();
        for step in [Step::Pick(5), Step::Submit, Step::Send, Step::Tick(Reason::Price, true), Step::Close, Step::Leave]
        {
            assert_eq!(survey.step(step), None);
        }
        assert_eq!(survey.stage, Stage::Waiting);
    }
}
