//! The Net Promoter Score and its 95 % confidence interval, from counts.
//!
//! Promoters answered 9 or 10, passives 7 or 8, detractors 0 to 6. NPS is the
//! share of promoters minus the share of detractors, times 100 (-100..=100).
//! A dismissed survey is not an answer: it never enters these counts.
//!
//! The interval is the adjusted Wald interval (Rocks 2016, "Interval
//! Estimation for the Net Promoter Score"): add 3/4 to promoters and detractors
//! and 3 to the number of answers, then take the normal approximation with the
//! variance of the difference of two proportions from one multinomial sample,
//! `(p + d - (p - d)^2) / n`. The plain Wald interval collapses to a point when
//! every answer is in one group (10 promoters of 10 would claim "exactly 100");
//! the adjustment keeps it honest for the small weekly counts a shop sees.

/// The z value of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Which group a 0..=10 score belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Detractor,
    Passive,
    Promoter,
}

impl Group {
    pub fn of(score: u8) -> Group {
        match score {
            9.. => Group::Promoter,
            7 | 8 => Group::Passive,
            _ => Group::Detractor,
        }
    }
}

/// Answers counted by group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

/// An NPS with its interval, all on the -100..=100 scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub nps: f64,
    pub low: f64,
    pub high: f64,
}

impl Counts {
    pub fn add(&mut self, score: u8) {
        match Group::of(score) {
            Group::Promoter => self.promoters += 1,
            Group::Passive => self.passives += 1,
            Group::Detractor => self.detractors += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// The NPS and its 95 % interval; `None` without answers (no score is not a score of 0).
    pub fn score(&self) -> Option<Score> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let n = n as f64;
        let nps = (self.promoters as f64 - self.detractors as f64) / n;
        let adjusted_n = n + 3.0;
        let p = (self.promoters as f64 + 0.75) / adjusted_n;
        let d = (self.detractors as f64 + 0.75) / adjusted_n;
        let centre = p - d;
        let variance = (p + d - centre * centre) / adjusted_n;
        let half = Z95 * variance.max(0.0).sqrt();
        Some(Score {
            nps: nps * 100.0,
            low: ((centre - half).max(-1.0)) * 100.0,
            high: ((centre + half).min(1.0)) * 100.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.01
    }

    #[test]
    fn groups_follow_the_standard_cut_points() {
        let groups: Vec<Group> = (0..=10).map(Group::of).collect();
        assert_eq!(groups[..7], [Group::Detractor; 7]);
        assert_eq!(groups[7..9], [Group::Passive; 2]);
        assert_eq!(groups[9..], [Group::Promoter; 2]);
    }

    #[test]
    fn hand_computed_example() {
        // 10 answers: 9, 10, 9, 10, 9 (5 promoters), 7, 8, 7 (3 passives), 3, 6 (2 detractors).
        let mut counts = Counts::default();
        for s in [9, 10, 9, 10, 9, 7, 8, 7, 3, 6] {
            counts.add(s);
        }
        assert_eq!(counts, Counts { promoters: 5, passives: 3, detractors: 2 });
        let score = counts.score().expect("ten answers give a score");
        // NPS = 5/10 - 2/10 = 0.30 -> 30.
        assert!(close(score.nps, 30.0), "{score:?}");
        // Adjusted: n' = 13, p = 5.75/13 = 0.442308, d = 2.75/13 = 0.211538,
        // p - d = 0.230769, variance = (0.653846 - 0.230769^2) / 13 = 0.600592 / 13 = 0.046199,
        // standard error 0.214940, half width 1.959964 * 0.214940 = 0.421274,
        // interval 0.230769 -+ 0.421274 = [-0.190505, 0.652043] -> [-19.05, 65.20].
        assert!(close(score.low, -19.05), "{score:?}");
        assert!(close(score.high, 65.20), "{score:?}");
    }

    #[test]
    fn no_answers_is_no_score() {
        assert_eq!(Counts::default().score(), None);
    }

    #[test]
    fn all_promoters_keep_an_interval_below_100() {
        let counts = Counts { promoters: 10, passives: 0, detractors: 0 };
        let score = counts.score().expect("score");
        assert!(close(score.nps, 100.0));
        assert!(score.low < 90.0 && score.high <= 100.0, "{score:?}");
    }

    #[test]
    fn more_answers_narrow_the_interval() {
        let small = Counts { promoters: 5, passives: 3, detractors: 2 }.score().expect("small");
        let large = Counts { promoters: 500, passives: 300, detractors: 200 }.score().expect("large");
        assert!(close(small.nps, large.nps));
        assert!(large.high - large.low < (small.high - small.low) / 5.0);
        assert!(large.low < 30.0 && large.high > 30.0);
    }
}
