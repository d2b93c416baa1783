//! The terminal UI driven through `App::update`, with no terminal and no emulator: a module per
//! screen (as `src/tui/screens/` has), and one each for what crosses screens.

mod support;

// The screens.
mod action;
mod actions_menu;
mod browse;
mod export;
mod filter;
mod help;
mod pools;
mod resend;
mod stats;

// Across the screens: the keymap, the mouse, the drawn screens (insta snapshots), the rules the
// UI binds before an operation, and the first day's and second week's frictions.
mod first_day;
mod keys;
mod margins;
mod mouse;
mod render;
mod rules;
mod second_week;
