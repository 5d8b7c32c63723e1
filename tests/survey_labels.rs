//! The scale's labels, and the spellings of not applicable and don't know, are answers
//! wherever a rating is read, with the same results as the integers.

use living_well::csv::{ErrorKind, read_cohort};
use living_well::{
    Answer, Definition, Disclosure, RatingScale, Response, Scorer, report, response::ResponseError,
};

const PR: &str = "purpose.people.relational.1";
const PM: &str = "purpose.people.mechanistic.1";

fn tidy(csv: &str, scale: RatingScale) -> String {
    let scorer = Scorer::new(Definition::living_well()).with_scale(scale);
    let cohort = read_cohort(csv.as_bytes(), scorer).unwrap();
    let mut out = Vec::new();
    report::write_tidy_csv(&cohort.summarise(&Disclosure::new(1)), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_wide_and_long_take_labels_as_their_points() {
    let numbers = format!("respondent,group,{PR},{PM}\nr1,a,4,na\nr2,a,1,dk\nr3,b,5,2\n");
    let words = format!(
        "respondent,group,{PR},{PM}\nr1,a,Mostly,N/A\nr2,a,\"  not AT   all \",Don't know\nr3,b,COMPLETELY,A little\n"
    );
    let long = format!(
        "respondent,group,reading,statement,rating\n\
         r1,a,current,{PR},mostly\nr1,a,current,{PM},Not applicable\n\
         r2,a,current,{PR},Not at all\nr2,a,current,{PM},don\u{2019}t know\n\
         r3,b,current,{PR},Completely\nr3,b,current,{PM},2\n"
    );
    let expected = tidy(&numbers, RatingScale::default());
    assert_eq!(tidy(&words, RatingScale::default()), expected);
    assert_eq!(tidy(&long, RatingScale::default()), expected);
}

#[test]
fn a_custom_scale_takes_its_own_labels_and_not_the_default_ones() {
    let scale = RatingScale::new(0, 2)
        .unwrap()
        .with_labels(["Never", "Sometimes", "Always"])
        .unwrap();
    let numbers = format!("respondent,{PR}\nr1,2\nr2,0\n");
    let words = format!("respondent,{PR}\nr1,always\nr2,Never\n");
    assert_eq!(tidy(&words, scale.clone()), tidy(&numbers, scale.clone()));
    let scorer = Scorer::new(Definition::living_well()).with_scale(scale);
    let err = read_cohort(format!("respondent,{PR}\nr1,Mostly\n").as_bytes(), scorer).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "line 2, column `{PR}`: respondent `r1`: `Mostly` is not an answer on the scale 0..=2 (accepted: an integer 0 to 2; Never, Sometimes, Always; na, N/A, Not applicable; dk, Don't know)"
        )
    );
    assert!(matches!(err.kind(), ErrorKind::InvalidAnswer { value, .. } if value == "Mostly"));
}

#[test]
fn labels_that_would_read_as_another_answer_are_refused() {
    let three = || RatingScale::new(1, 3).unwrap();
    let err = three().with_labels(["Low", "N/A", "High"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "label `N/A` of scale point 2 reads as another answer"
    );
    let err = three().with_labels(["Low", "3", "High"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "label `3` of scale point 2 reads as another answer"
    );
    let err = three().with_labels(["Low", "low ", "High"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "scale points 1 and 2 have the same label `low `"
    );
    assert!(three().with_labels(["1", "2", "3"]).is_ok());
}

#[test]
fn the_builder_takes_text_as_the_csv_does() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut by_text = Response::builder(&definition, &scale, "r1").unwrap();
    by_text
        .answer_text(PR, " mostly ")
        .unwrap()
        .answer_text(PM, "Not applicable")
        .unwrap();
    let mut by_number = Response::builder(&definition, &scale, "r1").unwrap();
    by_number
        .rate(PR, 4)
        .unwrap()
        .answer(PM, Answer::NotApplicable)
        .unwrap();
    assert_eq!(by_text.build(), by_number.build());
    let err = by_text
        .answer_text("power.people.relational.1", "Often")
        .unwrap_err();
    assert!(matches!(err, ResponseError::InvalidAnswer { .. }));
    assert_eq!(
        err.to_string(),
        "respondent `r1`: statement `power.people.relational.1`: answer `Often` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
    );
    // A label off the scale's points is caught as a rating off the scale would be.
    let err = by_text
        .answer_text("power.people.relational.1", "9")
        .unwrap_err();
    assert!(matches!(err, ResponseError::OutOfRange { rating: 9, .. }));
}

#[test]
fn from_str_takes_the_spellings_and_json_takes_the_labels() {
    assert_eq!("N/A".parse::<Answer>().unwrap(), Answer::NotApplicable);
    assert_eq!(
        "not applicable".parse::<Answer>().unwrap(),
        Answer::NotApplicable
    );
    assert_eq!("DON'T KNOW".parse::<Answer>().unwrap(), Answer::DontKnow);
    // Labels need the scale: without one, "Mostly" is no answer, not a guess.
    assert!("Mostly".parse::<Answer>().is_err());
    assert_eq!(
        RatingScale::default().parse_answer("Mostly").unwrap(),
        Answer::Rating(4)
    );
    assert_eq!(
        serde_json::from_str::<Answer>("\"N/A\"").unwrap(),
        Answer::NotApplicable
    );

    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r1").unwrap();
    builder
        .rate(PR, 4)
        .unwrap()
        .answer(PM, Answer::DontKnow)
        .unwrap();
    let response = builder.build();
    let json = serde_json::to_string(&response)
        .unwrap()
        .replace(":4", ":\"Mostly\"")
        .replace("\"dk\"", "\"Don't know\"");
    assert!(json.contains("Mostly"), "{json}");
    assert_eq!(Response::from_json(&json, &scale).unwrap(), response);
    assert!(serde_json::from_str::<Response>(&json).is_err());
    let bad = json.replace("Mostly", "Mostlyy");
    let err = Response::from_json(&bad, &scale).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("respondent `r1`: statement `{PR}`: answer `Mostlyy` is not an answer on the scale 1..=5")),
        "{err}"
    );
    let twice = json.replacen(&format!("\"{PM}\""), &format!("\"{PR}\""), 1);
    assert!(
        Response::from_json(&twice, &scale)
            .unwrap_err()
            .to_string()
            .contains("answered twice")
    );
}
