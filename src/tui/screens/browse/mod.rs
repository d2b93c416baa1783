//! The list: the users of the pool with the status chosen, the filter over them, the detail
//! pane and the footer. Its keys are `keys.rs`, its view `view.rs`.

mod keys;
mod listing;
mod view;

pub use listing::{Listing, Loading, PauseReason, Paused, Stopped};
pub use view::MainView;
