//! The project's own view of Cognito: what the app and its tests see instead of SDK types.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};

use super::filter::Search;
use super::secret_hash;
use crate::secret::ClientSecret;

/// Which users to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatusFilter {
    #[default]
    Unconfirmed,
    ForceChangePassword,
    All,
}

impl StatusFilter {
    /// The `cognito:user_status` value, or `None` for every user.
    pub fn status(self) -> Option<&'static str> {
        match self {
            StatusFilter::Unconfirmed => Status::Unconfirmed.name(),
            StatusFilter::ForceChangePassword => Status::ForceChangePassword.name(),
            StatusFilter::All => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Unconfirmed => "unconfirmed",
            StatusFilter::ForceChangePassword => "force-change-password",
            StatusFilter::All => "all users",
        }
    }

    /// The next one in the TUI's toggle order.
    pub fn next(self) -> Self {
        match self {
            StatusFilter::Unconfirmed => StatusFilter::ForceChangePassword,
            StatusFilter::ForceChangePassword => StatusFilter::All,
            StatusFilter::All => StatusFilter::Unconfirmed,
        }
    }
}

/// One ListUsers query: a status, and optionally a server-side search on one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    pub status: StatusFilter,
    pub search: Option<Search>,
}

impl ListQuery {
    /// ListUsers takes one attribute: a search wins the server filter and the status is then
    /// applied to each page here.
    pub fn server_filter(&self) -> Option<String> {
        match (&self.search, self.status.status()) {
            (Some(search), _) => Some(search.to_filter()),
            (None, Some(status)) => Some(super::filter::equals("cognito:user_status", status)),
            (None, None) => None,
        }
    }

    pub fn keeps(&self, user: &User) -> bool {
        match (&self.search, self.status.status()) {
            (Some(_), Some(status)) => user.status == status,
            _ => true,
        }
    }
}

/// A user's attributes, compact: a million users share a handful of attribute names, and most
/// share the same set of them, so the sorted list of names is interned whole (one allocation for
/// every user with that set), and a user's values sit one after the other in one allocation
/// with where each ends (one allocation a user, 16 bytes inline: a million users are 300 MB
/// sooner than one thinks).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Attributes {
    /// The names, sorted: shared by every user with the same set.
    names: Arc<[Arc<str>]>,
    /// Where each name's value ends (a `u32` each, native byte order; a value starts where the
    /// previous one ends), then the values, UTF-8, one after the other.
    data: Box<[u8]>,
}

/// The statuses cogtui knows; anything else Cognito answers is kept verbatim in [`UserStatus`]
/// and is [`Status::Other`] here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    ResetRequired,
    ExternalProvider,
    Other,
}

impl Status {
    /// Cognito's name for it (`None` for [`Status::Other`], whose name is the user's own).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Status::Unconfirmed => "UNCONFIRMED",
            Status::Confirmed => "CONFIRMED",
            Status::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Status::ResetRequired => "RESET_REQUIRED",
            Status::ExternalProvider => "EXTERNAL_PROVIDER",
            Status::Other => return None,
        })
    }

    /// Never confirmed (signed up, or invited and never signed in).
    pub fn is_pending(self) -> bool {
        matches!(self, Status::Unconfirmed | Status::ForceChangePassword)
    }
}

/// A user's status (`UNCONFIRMED`, `CONFIRMED`, …): a few values shared by a million users, so
/// a number for one of the process's interned strings (two bytes a user, not a pointer),
/// compared and shown like a `&str`; [`UserStatus::kind`] for matching.
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct UserStatus(u16);

/// Every status seen, in the order first seen: [`UserStatus`] `n` is entry `n - 1` (0 is the
/// empty status). Cognito has a handful; each is kept once for the process.
static STATUSES: std::sync::RwLock<Vec<&'static str>> = std::sync::RwLock::new(Vec::new());
/// Statuses beyond this many distinct ones (never seen from Cognito) are kept as `UNKNOWN`.
const MAX_STATUSES: usize = 256;

impl UserStatus {
    fn of(s: &str) -> Self {
        if s.is_empty() {
            return Self(0);
        }
        let find = |list: &[&str]| list.iter().position(|k| *k == s);
        {
            let list = STATUSES.read().unwrap_or_else(|p| p.into_inner());
            if let Some(i) = find(&list) {
                return Self(i as u16 + 1);
            }
        }
        let mut list = STATUSES.write().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = find(&list) {
            return Self(i as u16 + 1);
        }
        if list.len() >= MAX_STATUSES {
            drop(list);
            return Self::of("UNKNOWN");
        }
        // Kept for the life of the process: a few short strings, one copy each.
        list.push(Box::leak(s.to_string().into_boxed_str()));
        Self(list.len() as u16)
    }

    pub fn as_str(&self) -> &'static str {
        if self.0 == 0 {
            return "";
        }
        let list = STATUSES.read().unwrap_or_else(|p| p.into_inner());
        list.get(self.0 as usize - 1).copied().unwrap_or("")
    }

    /// The status as an enum to match on (an unknown one is [`Status::Other`]).
    pub fn kind(&self) -> Status {
        match self.as_str() {
            "UNCONFIRMED" => Status::Unconfirmed,
            "CONFIRMED" => Status::Confirmed,
            "FORCE_CHANGE_PASSWORD" => Status::ForceChangePassword,
            "RESET_REQUIRED" => Status::ResetRequired,
            "EXTERNAL_PROVIDER" => Status::ExternalProvider,
            _ => Status::Other,
        }
    }
}

impl std::ops::Deref for UserStatus {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for UserStatus {
    fn from(s: &str) -> Self {
        Self::of(s)
    }
}

impl From<String> for UserStatus {
    fn from(s: String) -> Self {
        Self::of(&s)
    }
}

impl PartialEq<str> for UserStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for UserStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for UserStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Values shared across the process: one copy each.
type Interned<T> = OnceLock<Mutex<HashSet<Arc<T>>>>;

fn intern_in<T, Q>(set: &'static Interned<T>, value: Q) -> Arc<T>
where
    T: ?Sized + Eq + std::hash::Hash,
    Q: std::borrow::Borrow<T> + Into<Arc<T>>,
{
    let set = set.get_or_init(|| Mutex::new(HashSet::new()));
    let mut set = match set.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(known) = set.get(value.borrow()) {
        return known.clone();
    }
    let fresh: Arc<T> = value.into();
    set.insert(fresh.clone());
    fresh
}

/// The one copy of an attribute name.
fn intern(name: &str) -> Arc<str> {
    static NAMES: Interned<str> = OnceLock::new();
    intern_in(&NAMES, name)
}

/// The one copy of a set of attribute names.
fn intern_names(names: Vec<Arc<str>>) -> Arc<[Arc<str>]> {
    static SETS: Interned<[Arc<str>]> = OnceLock::new();
    intern_in(&SETS, names)
}

impl Attributes {
    /// Where value `k` ends among the values.
    fn end(&self, k: usize) -> usize {
        self.data
            .get(4 * k..4 * k + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u32::from_ne_bytes(b) as usize)
    }

    fn value(&self, k: usize) -> &str {
        let base = 4 * self.names.len();
        let start = if k == 0 { 0 } else { self.end(k - 1) };
        // Cut where whole values were put: always UTF-8 (checked, as it costs a few bytes).
        self.data
            .get(base + start..base + self.end(k))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.names
            .iter()
            .position(|n| &**n == name)
            .map(|k| self.value(k))
    }

    /// Sets `name` (replacing its value if present).
    pub fn insert(&mut self, name: String, value: String) {
        let mut pairs: Vec<(String, String)> = self
            .iter()
            .filter(|(n, _)| *n != name)
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        pairs.push((name, value));
        *self = pairs.into_iter().collect();
    }

    /// Name and value, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .enumerate()
            .map(|(k, n)| (&**n, self.value(k)))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Replaces the values `f` returns a new one for.
    pub fn map_values(&mut self, f: impl Fn(&str, &str) -> Option<String>) {
        let pairs: Vec<(String, String)> = self
            .iter()
            .map(|(n, v)| (n.to_string(), f(n, v).unwrap_or_else(|| v.to_string())))
            .collect();
        *self = pairs.into_iter().collect();
    }
}

impl FromIterator<(String, String)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut pairs: Vec<(String, String)> = iter.into_iter().collect();
        // The last value given for a name wins.
        pairs.reverse();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, earlier| later.0 == earlier.0);
        let length: usize = pairs.iter().map(|(_, v)| v.len()).sum();
        let mut data = Vec::with_capacity(4 * pairs.len() + length);
        let mut end = 0u32;
        for (_, v) in &pairs {
            end += v.len() as u32;
            data.extend_from_slice(&end.to_ne_bytes());
        }
        for (_, v) in &pairs {
            data.extend_from_slice(v.as_bytes());
        }
        Self {
            names: intern_names(pairs.iter().map(|(n, _)| intern(n)).collect()),
            data: data.into_boxed_slice(),
        }
    }
}

impl From<BTreeMap<String, String>> for Attributes {
    fn from(map: BTreeMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl serde::Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    pub attributes: Attributes,
}

impl User {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name)
    }

    pub fn email(&self) -> Option<&str> {
        self.attr("email")
    }

    pub fn phone(&self) -> Option<&str> {
        self.attr("phone_number")
    }

    /// `name`, else given and family name.
    pub fn display_name(&self) -> Option<String> {
        if let Some(name) = self.attr("name") {
            return Some(name.to_string());
        }
        let parts: Vec<&str> = [self.attr("given_name"), self.attr("family_name")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    pub fn is_unconfirmed(&self) -> bool {
        self.status.kind() == Status::Unconfirmed
    }

    /// The user as a screen share may show it: every attribute masked (emails and phone numbers
    /// the way Cognito masks destinations, `custom:*` and the rest by their first letters), but
    /// the verified flags; the username, status, dates and enabled flag stay (a username that
    /// is itself an address is masked where it is shown, never here: actions need it).
    pub fn redacted(mut self) -> Self {
        self.attributes.map_values(|name, value| match name {
            "email" => Some(crate::text::mask_email(value)),
            "phone_number" => Some(crate::text::mask_phone(value)),
            "email_verified" | "phone_number_verified" => None,
            _ => Some(crate::text::mask_name(value)),
        });
        self
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserPage {
    pub users: Vec<User>,
    pub next_token: Option<String>,
    /// Calls a second the pool's ListUsers limit allows now, when Cognito's throttling has
    /// pushed it below `max_list_rps`.
    pub slowed_to: Option<f64>,
}

/// `UserContextData`: the end user's context, for pools with threat protection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserContext {
    pub ip_address: Option<String>,
    pub encoded_data: Option<String>,
}

impl UserContext {
    pub fn is_empty(&self) -> bool {
        self.ip_address.is_none() && self.encoded_data.is_none()
    }
}

/// What an operator chooses for one resend, on the command line or in the dialog.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResendOptions {
    pub client_metadata: BTreeMap<String, String>,
    pub analytics_endpoint_id: Option<String>,
    pub user_context: UserContext,
}

/// Every member of ResendConfirmationCode, ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct ResendRequest {
    pub client_id: String,
    pub username: String,
    pub secret_hash: Option<String>,
    pub user_context: Option<UserContext>,
    pub analytics_endpoint_id: Option<String>,
    pub client_metadata: BTreeMap<String, String>,
}

impl ResendRequest {
    /// The secret hash is computed over exactly the username that is sent.
    pub fn new(
        client_id: &str,
        secret: Option<&ClientSecret>,
        username: &str,
        options: ResendOptions,
    ) -> Self {
        Self {
            client_id: client_id.to_string(),
            username: username.to_string(),
            secret_hash: secret.map(|s| secret_hash::compute(s, username, client_id)),
            user_context: (!options.user_context.is_empty()).then_some(options.user_context),
            analytics_endpoint_id: options.analytics_endpoint_id.filter(|s| !s.is_empty()),
            client_metadata: options.client_metadata,
        }
    }
}

impl fmt::Debug for ResendRequest {
    // The secret hash is derived from the secret: keep it out of logs as well.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResendRequest")
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field(
                "secret_hash",
                &self.secret_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("user_context", &self.user_context)
            .field("analytics_endpoint_id", &self.analytics_endpoint_id)
            .field("client_metadata", &self.client_metadata)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryMedium {
    Email,
    Sms,
    Other(String),
}

impl fmt::Display for DeliveryMedium {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryMedium::Email => f.write_str("EMAIL"),
            DeliveryMedium::Sms => f.write_str("SMS"),
            DeliveryMedium::Other(other) => f.write_str(other),
        }
    }
}

/// Where Cognito says the code went. The destination is masked by Cognito.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub destination: String,
    pub medium: DeliveryMedium,
    pub attribute_name: String,
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Code sent by {} to {} (attribute: {})",
            self.medium, self.destination, self.attribute_name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn users_with_the_same_attribute_names_share_one_list_of_them() {
        let a = attributes(&[
            ("sub", "1"),
            ("email", "a@x.example"),
            ("email_verified", "false"),
        ]);
        let b = attributes(&[
            ("email_verified", "true"),
            ("email", "b@y.example"),
            ("sub", "2"),
        ]);
        assert!(Arc::ptr_eq(&a.names, &b.names));
        assert_eq!(b.get("email"), Some("b@y.example"));
        assert_eq!(b.get("sub"), Some("2"));
        assert_eq!(b.get("phone_number"), None);
        let names: Vec<&str> = b.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["email", "email_verified", "sub"], "name order");
        // Another set of names is another list; values with multi-byte text stay whole.
        let mut c = b.clone();
        c.insert("name".into(), "Zoë Ørsted".into());
        assert!(!Arc::ptr_eq(&b.names, &c.names));
        assert_eq!(c.get("name"), Some("Zoë Ørsted"));
        assert_eq!(c.get("sub"), Some("2"));
        assert_eq!(c.len(), 4);
        // The last value given for a name wins.
        let d = attributes(&[("email", "old@x.example"), ("email", "new@x.example")]);
        assert_eq!(d.get("email"), Some("new@x.example"));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn empty_values_and_many_of_them_read_back_whole() {
        let pairs: Vec<(String, String)> = (0..40)
            .map(|i| (format!("custom:a{i:02}"), "é".repeat(i % 3)))
            .collect();
        let a: Attributes = pairs.clone().into_iter().collect();
        let back: Vec<(String, String)> = a
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(back, pairs);
        assert_eq!(Attributes::default().get("email"), None);
    }

    #[test]
    fn a_status_is_two_bytes_and_reads_as_what_cognito_said() {
        let known = UserStatus::from("UNCONFIRMED");
        let odd = UserStatus::from("SOME_FUTURE_STATUS");
        assert_eq!(known.kind(), Status::Unconfirmed);
        assert_eq!(odd.kind(), Status::Other);
        assert_eq!(odd.to_string(), "SOME_FUTURE_STATUS");
        assert_eq!(UserStatus::from("SOME_FUTURE_STATUS".to_string()), odd);
        assert_ne!(known, odd);
        assert_eq!(UserStatus::default().as_str(), "");
        assert_eq!(std::mem::size_of::<UserStatus>(), 2);
    }

    /// What a loaded user costs before its strings (the memory target is 300 bytes a user at a
    /// million, three attributes each): a regression here is a few megabytes a million.
    #[test]
    fn a_user_record_stays_small() {
        assert!(
            std::mem::size_of::<User>() <= 96,
            "{}",
            std::mem::size_of::<User>()
        );
        assert_eq!(std::mem::size_of::<Attributes>(), 32);
    }
}
