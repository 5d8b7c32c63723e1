//! What respondents say: the [`RatingScale`], each [`Answer`], who answered
//! ([`RespondentId`], [`GroupLabel`]), and a [`Response`] in one [`Reading`].

mod response;
mod scale;

pub use response::{
    Answer, GroupLabel, ParseAnswerError, Reading, RespondentId, Response, ResponseBuilder,
    ResponseError,
};
pub(crate) use response::{check_answer, label_is_valid};
pub use scale::{RatingScale, ScaleError};
