//! What respondents say: the [`RatingScale`], each [`Answer`], who answered
//! ([`RespondentId`], [`GroupLabel`]), a [`Response`] in one [`Reading`], and many
//! respondents' answers as a dense [`RatingMatrix`].

mod answer;
mod error;
mod label;
mod matrix;
#[allow(clippy::module_inception)]
mod response;
mod scale;

pub(crate) use answer::Code;
#[cfg(feature = "survey")]
pub(crate) use answer::quote;
pub use answer::{Answer, ParseAnswerError};
pub use error::ResponseError;
pub use label::{GroupLabel, RespondentId};
pub(crate) use label::{group_name, label_is_valid};
pub use matrix::{MatrixError, RatingMatrix};
pub(crate) use response::check_answer;
pub use response::{Reading, Response, ResponseBuilder};
pub use scale::{RatingScale, ScaleError};
