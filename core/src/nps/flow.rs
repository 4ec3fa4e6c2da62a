//! The survey on one page: its stages and the one step between them. Pure:
//! `Survey::step` returns what the browser's adapter must do about a step
//! (`Effect`: keep the visitor's state, queue the answer, send an event), and
//! `Survey::mark` what the mount point's `data-treue-survey` says.

use super::eligibility::Skip;
use super::score::Group;
use super::survey::Reason;

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
    /// Takes one step; returns what the adapter must do, in order.
    pub fn step(&mut self, step: Step) -> Vec<Effect> {
        match (self.stage, step) {
            (Stage::Waiting, Step::Show) => {
                self.stage = Stage::Asking;
                vec![Effect::Shown]
            }
            (Stage::Asking, Step::Pick(score)) if score <= 10 => {
                self.picked = Some(score);
                Vec::new()
            }
            (Stage::Asking, Step::Submit) => {
                let Some(score) = self.picked else { return Vec::new() };
                self.stage = Stage::FollowUp(score);
                self.answered = true;
                // Promoters have nothing to add: their answer goes at once.
                self.held = Group::of(score) != Group::Promoter;
                vec![Effect::Answered { score, held: self.held }]
            }
            (Stage::Asking, Step::Close) => {
                self.stage = Stage::Closed;
                vec![Effect::Dismissed]
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
                Vec::new()
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
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn kept(&mut self) -> Vec<Effect> {
        self.unkept = false;
        if self.held {
            vec![Effect::Keep]
        } else {
            Vec::new()
        }
    }

    fn released(&mut self) -> Vec<Effect> {
        self.unkept = false;
        if std::mem::take(&mut self.held) {
            vec![Effect::Release]
        } else {
            Vec::new()
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
        assert_eq!(survey.step(Step::Show), [Effect::Shown]);
        assert_eq!(survey.mark(), "shown");
        survey
    }

    fn scored(score: u8) -> (Survey, Vec<Effect>) {
        let mut survey = asked();
        assert_eq!(survey.step(Step::Submit), [], "nothing picked, nothing sent");
        assert_eq!(survey.step(Step::Pick(11)), []);
        survey.step(Step::Pick(score));
        let effects = survey.step(Step::Submit);
        (survey, effects)
    }

    #[test]
    fn a_promoters_answer_goes_at_once_and_the_mount_point_says_answered() {
        let (mut survey, effects) = scored(10);
        assert_eq!(effects, [Effect::Answered { score: 10, held: false }]);
        assert_eq!(survey.stage, Stage::FollowUp(10));
        assert_eq!(survey.mark(), "answered");
        assert_eq!(survey.step(Step::Close), [], "nothing held, nothing to release");
        assert_eq!((survey.stage, survey.mark()), (Stage::Closed, "answered"));
    }

    #[test]
    fn a_detractors_answer_is_held_and_written_when_it_changes_not_per_keystroke() {
        let (mut survey, effects) = scored(3);
        assert_eq!(effects, [Effect::Answered { score: 3, held: true }]);
        assert_eq!(survey.step(Step::Tick(Reason::Price, true)), [Effect::Keep]);
        assert_eq!(survey.step(Step::Type("zu".into())), []);
        assert_eq!(survey.step(Step::Type("zu teuer".into())), []);
        assert_eq!(survey.comment, "zu teuer");
        assert_eq!(survey.step(Step::Pause), [Effect::Keep], "typed text is kept when the field is left");
        assert_eq!(survey.step(Step::Pause), [], "and only once");
        assert_eq!(survey.step(Step::Tick(Reason::Other, true)), [Effect::Keep]);
        assert_eq!(survey.step(Step::Tick(Reason::Price, false)), [Effect::Keep]);
        assert_eq!(survey.reasons, [Reason::Other]);
        assert_eq!(survey.step(Step::Send), [Effect::Release]);
        assert_eq!((survey.stage, survey.mark()), (Stage::Thanked, "answered"));
        assert_eq!(survey.step(Step::Leave), [], "released once");
        survey.step(Step::Close);
        assert_eq!((survey.stage, survey.mark()), (Stage::Closed, "answered"));
    }

    #[test]
    fn closing_or_leaving_mid_follow_up_sends_what_was_given() {
        let (mut survey, _) = scored(7);
        survey.step(Step::Type("ok".into()));
        assert_eq!(survey.step(Step::Close), [Effect::Release]);
        assert_eq!(survey.mark(), "answered");
        let (mut survey, _) = scored(0);
        assert_eq!(survey.step(Step::Leave), [Effect::Release]);
    }

    #[test]
    fn closing_the_question_is_a_dismissal() {
        let mut survey = asked();
        assert_eq!(survey.step(Step::Close), [Effect::Dismissed]);
        assert_eq!(survey.mark(), "dismissed");
        assert_eq!(survey.step(Step::Show), [], "a closed survey does not come back on this page");
    }

    #[test]
    fn steps_out_of_turn_do_nothing() {
        let mut survey = Survey::default();
        for step in [Step::Pick(5), Step::Submit, Step::Send, Step::Tick(Reason::Price, true), Step::Close, Step::Leave]
        {
            assert_eq!(survey.step(step), []);
        }
        assert_eq!(survey.stage, Stage::Waiting);
    }
}
