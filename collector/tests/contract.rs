//! One contract (`treue_core::protocol`): every body the bundle builds is
//! accepted by the collector and read into the very value the bundle sent,
//! the same value serde's derive reads from it.

use treue_collector::body;
use treue_core::catalogue::CatalogueDoc;
use treue_core::customer::{Customer, Segment};
use treue_core::measure::event::{ListEvent, Name};
use treue_core::measure::holdout::Group;
use treue_core::protocol::{random_id, Answer, Event, Reason, SurveyEvent, DISMISSED, MAX_COMMENT_CHARS, SHOWN};

fn answer(score: u8) -> Answer {
    Answer {
        id: random_id('a', [1, 2, 3, 4, 5, 6, 7, 8]),
        survey: "nps".into(),
        score,
        reasons: Vec::new(),
        comment: None,
        customer_id: Some("c-42".into()),
        segment: Some(Segment::KeyAccount),
        tier: Some("gold".into()),
        page: Some("thank_you".into()),
        locale: "de".into(),
        answered_at: "2026-11-25T14:00:00.000Z".into(),
        order_token: Some("v1|A-10023|c-42|1767225600|00".into()),
    }
}

#[test]
fn every_answer_the_widget_builds_reads_back_as_itself() {
    for score in 0..=10 {
        let mut sent = answer(score);
        sent.follow_up(&Reason::ALL, &"ö".repeat(MAX_COMMENT_CHARS + 1));
        let text = serde_json::to_string(&sent).expect("serialise");
        let read = body::answer(&text).unwrap_or_else(|e| panic!("score {score}: {e}"));
        assert_eq!(read.body, sent, "score {score}");
        assert_eq!(serde_json::from_str::<Answer>(&text).expect("derive"), sent);
        assert_eq!(read.day.to_string(), "2026-11-25");
    }
}

#[test]
fn every_event_the_widget_builds_reads_back_as_itself() {
    let doc: CatalogueDoc =
        serde_json::from_str(include_str!("../../tests/fixtures/catalogue.json")).expect("fixture catalogue");
    let catalogue = doc.into_catalogue().expect("catalogue");
    let customer = Customer { id: "c-42".into(), segment: Some(Segment::A), ..Customer::default() };
    let products: Vec<_> = ["SD-64", "BAG-1"].iter().filter_map(|sku| catalogue.id(sku)).collect();
    for name in [Name::ViewItemList, Name::SelectItem, Name::AddToCart] {
        for group in Group::ALL {
            let list = ListEvent::list(name, "cross_sell", group, &products).in_variant(Some("b".into()));
            let sent = list.collector(&catalogue, "e-1", "2026-11-25T14:00:00.000Z", Some(&customer));
            let text = serde_json::to_string(&sent).expect("serialise");
            let read = body::event(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(read.body, sent);
            assert_eq!(serde_json::from_str::<Event>(&text).expect("derive"), sent);
        }
    }
    for name in [SHOWN, DISMISSED] {
        let shown = SurveyEvent {
            id: "e-2".into(),
            name,
            at: "2026-11-25T14:00:00Z".into(),
            survey: "nps".into(),
            customer_id: None,
            segment: None,
            tier: None,
        };
        let text = serde_json::to_string(&shown).expect("serialise");
        let read = body::event(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(read.body.name.as_str(), name);
        assert_eq!(serde_json::from_str::<Event>(&text).expect("derive"), read.body);
    }
}
