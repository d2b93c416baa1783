//! `SecretHash`: base64(HMAC-SHA256(key = client secret, message = username + client id)).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::secret::ClientSecret;

pub fn compute(secret: &ClientSecret, username: &str, client_id: &str) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_vector_computed_independently() {
        // printf '%s' 'jane.doe1example-client' | openssl dgst -sha256 -hmac 'example-secret' -binary | base64
        let secret = ClientSecret::new("example-secret");
        assert_eq!(
            compute(&secret, "jane.doe", "1example-client"),
            "TAuWsV7y6ZeYc6j0z9Fi8Giy9FXPp5ko8F6pXXgA1iY="
        );
    }

    #[test]
    fn depends_on_the_exact_username() {
        let secret = ClientSecret::new("example-secret");
        assert_ne!(
            compute(&secret, "Jane.Doe", "1example-client"),
            compute(&secret, "jane.doe", "1example-client")
        );
    }
}
