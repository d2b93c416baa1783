//! Where the listing on screen is (one enum, one "what to fetch next"), and the pages as they
//! come.

use crate::cognito::{ApiError, ErrorKind, TokenChain, User, UserPage};
use crate::tui::app::*;

#[derive(Debug, Clone)]
pub struct Loading {
    pub generation: u64,
    /// A refresh: the rows on screen stay until the first new page arrives.
    pub replacing: bool,
    /// Continues a listing that stopped on an error, from its last good token.
    pub resumed: bool,
    pub(crate) chain: TokenChain,
    /// The token of the page in flight (`None` for the first page).
    pub(crate) token: Option<String>,
    /// Calls a second the listing is down to while Cognito throttles it.
    pub slowed_to: Option<f64>,
}

impl Loading {
    /// Where this listing stands, to go on from later (`None` before its first page came).
    pub(crate) fn stopped_here(&self) -> Option<Stopped> {
        self.token.clone().map(|token| Stopped {
            token,
            chain: self.chain.clone(),
        })
    }

    /// Pages of this listing received so far (a resumed listing counts on from where it stopped).
    pub fn pages(&self) -> usize {
        self.chain.pages
    }
}

/// Why a listing waits for `L`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// The pool's `max_users` was reached.
    Cap,
    /// The operator pressed Esc.
    Stopped,
}

/// A listing that waits for `L` to go on from `stopped.token`.
#[derive(Debug, Clone)]
pub struct Paused {
    pub stopped: Stopped,
    pub why: PauseReason,
}

/// A listing that stopped on an error after some pages: `r` resumes it from `token`.
#[derive(Debug, Clone)]
pub struct Stopped {
    pub(crate) token: String,
    pub(crate) chain: TokenChain,
}

impl Stopped {
    pub fn pages(&self) -> usize {
        self.chain.pages
    }
}

/// Where the listing on screen is: one state, so no two can disagree (a listing is never
/// loading and paused, nor failed with nothing to say).
#[derive(Debug, Clone)]
pub enum Listing {
    /// Pages are coming.
    Loading(Loading),
    /// Waits for `L` to go on from where it paused (the pool's `max_users`, or Esc).
    Paused(Paused),
    /// Stopped on an error, which the banner says; `r` resumes from `resume` when pages came
    /// before it (and the token chain can be trusted), else starts over.
    Failed {
        error: ApiError,
        resume: Option<Stopped>,
    },
    /// Every page is in (or the listing was stopped before its first).
    Done,
}

impl Listing {
    pub fn loading(&self) -> Option<&Loading> {
        match self {
            Listing::Loading(l) => Some(l),
            _ => None,
        }
    }

    pub fn paused(&self) -> Option<&Paused> {
        match self {
            Listing::Paused(p) => Some(p),
            _ => None,
        }
    }

    /// The error the banner shows.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Listing::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Where `r` resumes a failed listing from.
    pub fn resume_point(&self) -> Option<&Stopped> {
        match self {
            Listing::Failed { resume, .. } => resume.as_ref(),
            _ => None,
        }
    }

    /// What to fetch next and for which listing: only while loading (the token of the page in
    /// flight; `None` for the first).
    pub fn next_fetch(&self) -> Option<(u64, Option<&str>)> {
        self.loading().map(|l| (l.generation, l.token.as_deref()))
    }
}

impl App {
    /// Starts a new listing; answers to any earlier one will be dropped.
    pub(crate) fn reload(&mut self, replacing: bool) -> Vec<Effect> {
        self.generation += 1;
        self.cap = self.current_pool().max_users;
        if !replacing {
            // Marks belong to one listing: a new pool or status starts unmarked.
            self.users.clear_marks();
            self.found.clear();
        }
        if !replacing {
            self.users.clear();
            self.resends_loaded = false;
            self.pages = 0;
        }
        self.listing = Listing::Loading(Loading {
            generation: self.generation,
            replacing,
            resumed: false,
            chain: TokenChain::default(),
            token: None,
            slowed_to: None,
        });
        self.fetch_next()
    }

    /// The page the listing asks for next (its one source: the loading state's token).
    pub(crate) fn fetch_next(&self) -> Vec<Effect> {
        self.listing
            .next_fetch()
            .map(|(generation, token)| Effect::FetchPage {
                generation,
                pool: self.current_pool().name.clone(),
                query: self.query(),
                token: token.map(str::to_string),
            })
            .into_iter()
            .collect()
    }

    /// `r` after a listing stopped on an error: carry on from the last good token.
    pub(crate) fn resume(&mut self, stopped: Stopped) -> Vec<Effect> {
        self.generation += 1;
        self.listing = Listing::Loading(Loading {
            generation: self.generation,
            replacing: false,
            resumed: true,
            chain: stopped.chain,
            token: Some(stopped.token),
            slowed_to: None,
        });
        self.fetch_next()
    }

    pub(crate) fn on_page(
        &mut self,
        generation: u64,
        result: Result<UserPage, ApiError>,
    ) -> Vec<Effect> {
        let Listing::Loading(loading) = &mut self.listing else {
            return Vec::new();
        };
        if loading.generation != generation {
            return Vec::new(); // an answer to a listing that has since been replaced
        }
        let page = match result {
            Ok(page) => {
                loading.slowed_to = page.slowed_to;
                page
            }
            Err(err) if loading.resumed && err.kind == ErrorKind::InvalidParameter => {
                // The service no longer takes the saved token: start the listing over.
                self.toast = Some("the saved position expired: listing from the start".into());
                return self.reload(true);
            }
            Err(err) => {
                // What was loaded stays on screen; `r` resumes from the last good token.
                let resume = loading.stopped_here();
                self.listing = Listing::Failed { error: err, resume };
                self.users.listing_done();
                return Vec::new();
            }
        };
        if loading.replacing && loading.pages() == 0 {
            self.users.restart();
            self.resends_loaded = false;
            self.pages = 0;
            if let Mode::Stats(StatsScreen {
                stats, counting, ..
            }) = &mut self.mode
            {
                // The rows being counted are gone: the new pages are counted as they come.
                **stats = crate::stats::Stats::default();
                *counting = None;
            }
        }
        self.pages += 1;
        let next = loading.chain.advance(page.next_token);
        let users = if self.redact {
            page.users.into_iter().map(User::redacted).collect()
        } else {
            page.users
        };
        let history = self.history.get(&self.pools[self.pool].name);
        Self::spot_resends(&mut self.resends_loaded, history, &users);
        Self::load(&mut self.mode, &mut self.users, users);
        let cap = self.cap;
        let effects = match next {
            // The pool's max_users: pause here; `L` loads more, a search narrows.
            Ok(Some(token)) if self.users.len() >= cap => {
                let chain = loading.chain.clone();
                self.listing = Listing::Paused(Paused {
                    stopped: Stopped { token, chain },
                    why: PauseReason::Cap,
                });
                self.users.listing_done();
                Vec::new()
            }
            Ok(Some(token)) => {
                loading.token = Some(token);
                self.fetch_next()
            }
            done => {
                self.users.listing_done();
                // The refresh is over: its notice goes with it.
                if self.toast.as_deref() == Some(REFRESHING) {
                    self.toast = None;
                }
                // A looping token chain: resuming would loop again, so `r` starts over.
                self.listing = match done {
                    Err(error) => Listing::Failed {
                        error,
                        resume: None,
                    },
                    Ok(_) => Listing::Done,
                };
                Vec::new()
            }
        };
        self.users.scroll_into_view(self.table_rows());
        effects
    }
}
