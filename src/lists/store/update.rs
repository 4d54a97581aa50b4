//! `lists update`: download each configured list from its publisher, verify it, and store it
//! as a new snapshot only when its bytes changed. A bad download (an HTTP error, a body cut
//! short, an unexpected content type such as an HTML error page, a file the importer refuses
//! records of, or a record count collapsed against the previous snapshot) is reported and
//! never stored, so the good snapshot before it stays the latest.

use std::time::Duration;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{AddOutcome, DateFrom, Snapshot, Store, StoreError, import_any, sha256_hex};
use crate::lists::config::ListConfig;

/// The largest body read (the SDN XML is about 100 MB at most).
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// How downloads are made and judged.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The longest a download may take, from connecting to the last byte.
    pub timeout: Duration,
    /// The smallest share of the previous snapshot's record count a new file may have
    /// (`0.9`: at most 10% fewer records); below it the file is refused as collapsed.
    pub min_ratio: Decimal,
    /// The day of the download, the publication date of a file that gives none.
    pub today: NaiveDate,
}

/// What became of one list's update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum UpdateOutcome {
    /// A new snapshot was stored.
    Added {
        /// The snapshot.
        snapshot: Snapshot,
    },
    /// The publisher serves the bytes the store holds already.
    Unchanged {
        /// The snapshot holding them.
        snapshot: Snapshot,
    },
    /// The download failed or did not pass verification: nothing stored.
    Refused {
        /// Whether the download itself failed (network, HTTP status, timeout, a body cut
        /// short) or what was downloaded did not verify.
        stage: Stage,
        /// Why, in words.
        reason: String,
    },
}

/// Where an update was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Getting the bytes: the network, the HTTP status, the timeout, a body cut short.
    Download,
    /// Judging the bytes: content type, import, record count.
    Verify,
}

fn refused(reason: String) -> UpdateOutcome {
    UpdateOutcome::Refused {
        stage: Stage::Verify,
        reason,
    }
}

/// A list and the URL to fetch it from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The list's configuration.
    pub config: ListConfig,
    /// Where to fetch it (the configuration's URL, or an override).
    pub url: String,
}

/// The body and content type of a successful response.
struct Fetched {
    bytes: Vec<u8>,
    content_type: String,
}

impl Store {
    /// Download, verify and store one source.
    pub fn update(
        &mut self,
        source: &Source,
        options: &UpdateOptions,
    ) -> Result<UpdateOutcome, StoreError> {
        let fetched = match fetch(&source.url, options.timeout) {
            Ok(f) => f,
            Err(reason) => {
                return Ok(UpdateOutcome::Refused {
                    stage: Stage::Download,
                    reason,
                });
            }
        };
        if !content_type_fits(&source.config.format, &fetched.content_type) {
            return Ok(refused(format!(
                "the content type `{}` is not that of a `{}` file",
                fetched.content_type, source.config.format
            )));
        }
        let sha = sha256_hex(&fetched.bytes);
        if let Some(s) = self.find_by_hash(&source.config.id, &sha)? {
            return Ok(UpdateOutcome::Unchanged { snapshot: s });
        }
        let import = import_any(&fetched.bytes, &source.url, &source.config);
        if let Some(e) = import.errors.first() {
            return Ok(refused(format!(
                "the file does not import cleanly ({} error(s), the first: {}: {})",
                import.errors.len(),
                e.location(),
                e.message
            )));
        }
        if import.records.is_empty() {
            return Ok(refused("the file holds no record".to_string()));
        }
        let previous = self.snapshots_of(&source.config.id)?.pop();
        if let Some(p) = previous.filter(|p| collapsed(import.records.len(), p.records, options)) {
            return Ok(refused(format!(
                "{} records against {} in snapshot {} ({}@{}): fewer than {} of them",
                import.records.len(),
                p.records,
                p.id,
                p.list,
                p.published,
                options.min_ratio
            )));
        }
        let given = import.published.is_none().then_some(options.today);
        match self.add_import(&import, &sha, given)? {
            AddOutcome::Added(mut s) => {
                if s.published_from == DateFrom::Given {
                    self.mark_downloaded(&mut s)?;
                }
                Ok(UpdateOutcome::Added { snapshot: s })
            }
            AddOutcome::AlreadyStored(s) => Ok(UpdateOutcome::Unchanged { snapshot: s }),
        }
    }

    /// Record that a snapshot's date is the day it was downloaded.
    fn mark_downloaded(&self, s: &mut Snapshot) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE snapshot SET published_from = 'downloaded' WHERE id = ?1",
            [s.id],
        )?;
        s.published_from = DateFrom::Downloaded;
        Ok(())
    }
}

/// Whether `now` records fall below `min_ratio` of the `before` records.
fn collapsed(now: usize, before: usize, options: &UpdateOptions) -> bool {
    Decimal::from(now) < Decimal::from(before) * options.min_ratio
}

/// GET `url`: the body of a 200 response, read to its end within the timeout; anything else
/// is the reason in words.
fn fetch(url: &str, timeout: Duration) -> Result<Fetched, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("the download failed: {e}"))?;
    let status = response.status();
    if status.as_u16() != 200 {
        return Err(format!("the server answered {status}"));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| format!("the body could not be read to its end: {e}"))?;
    Ok(Fetched {
        bytes,
        content_type,
    })
}

/// Whether a response's content type can be a file of `format` (`...-xml`, `...-csv`). A
/// missing type or a generic binary type is accepted (the import judges the bytes); an HTML
/// page, JSON or another text type is not.
fn content_type_fits(format: &str, content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() || mime == "application/octet-stream" {
        return true;
    }
    if format.ends_with("-xml") {
        matches!(mime.as_str(), "application/xml" | "text/xml")
    } else if format.ends_with("-csv") {
        matches!(
            mime.as_str(),
            "text/csv" | "application/csv" | "text/plain" | "application/vnd.ms-excel"
        )
    } else {
        false
    }
}
