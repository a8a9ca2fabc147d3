//! E-mail: single messages (`.eml`) and mailboxes (mbox), attachments included.
//!
//! Patient details get forwarded. A message's From/To/Cc/Bcc/Reply-To and Subject headers and
//! its bodies make one document, located `header From`, `body line 12`. Every body a reader may
//! see is read: the plain text and the HTML alternative (an HTML part can hold what the plain
//! part leaves out), each decoded from base64 or quoted-printable by `mail-parser` first, the
//! HTML read by our HTML extractor (tables, comments and all, `html body line 3`). Source ranges
//! point into the message's bytes where a value is written there as is, and into the decoded
//! text of the part (`body 2`) where it was transfer-encoded. Attachments, and
//! messages forwarded as attachments, are extracted recursively as members
//! (`mail.eml!labs.csv`), so a CSV attached to an e-mail is read header-aware like any CSV. An
//! mbox yields one member per message (`box.mbox!message 3`).

use super::{extract_into, Builder, Ctx, Document, Item, Kind, Problem};
use crate::text::Mapped;
use mail_parser::{Address, GetHeader, MessageParser, MimeHeaders, PartType};

/// Whether `head` starts with an RFC 5322 header block naming a sender and a recipient or
/// subject.
pub fn looks_like_headers(head: &str) -> bool {
    let mut from = false;
    let mut other = false;
    let mut lines = 0;
    for line in head.lines() {
        if line.trim().is_empty() {
            break;
        }
        lines += 1;
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return false };
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            return false;
        }
        match name.to_ascii_lowercase().as_str() {
            "from" => from = true,
            "to" | "subject" | "date" | "message-id" | "cc" => other = true,
            _ => {}
        }
        if lines > 200 {
            break;
        }
    }
    from && other
}

/// Extracts one message into a document; its attachments become members in `out`.
pub fn extract_eml(bytes: &[u8], ctx: &mut Ctx, member: &str, out: &mut Vec<Item>) -> Result<Document, Problem> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| Problem::Error("not a readable e-mail message (no headers found)".into()))?;
    let mut b = Builder::new();
    let headers = &msg.parts[0].headers;
    let raw_of = |name: &str| headers.header(name).map(|h| (h.offset_start as usize, h.offset_end as usize));
    let addresses =
        [("From", msg.from()), ("To", msg.to()), ("Cc", msg.cc()), ("Bcc", msg.bcc()), ("Reply-To", msg.reply_to())];
    for (name, addr) in addresses {
        if let Some(a) = addr {
            let v = format_addresses(a, bytes, raw_of(name));
            b.value_mapped(Some(name), &v, format!("header {name}"), None);
        }
    }
    if let Some(s) = msg.subject() {
        b.value_mapped(Some("Subject"), &found_in(bytes, raw_of("Subject"), s), "header Subject", None);
    }
    b.paragraph_break();
    // Every body a reader may see: the plain text and the HTML alternative (which can hold
    // what the plain part leaves out), each once.
    let mut ids: Vec<u32> = Vec::new();
    for &id in msg.text_body.iter().chain(&msg.html_body) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let n = ids.len();
    for (k, id) in ids.into_iter().enumerate() {
        let Some(part) = msg.parts.get(id as usize) else { continue };
        let (decoded, html) = match &part.body {
            PartType::Text(t) => (t.as_ref(), false),
            PartType::Html(h) => (h.as_ref(), true),
            _ => continue,
        };
        // A body sent as is (7bit, 8bit) is addressed in the message's bytes; a transfer-encoded
        // one (quoted-printable, base64) in its decoded text, as the part `body N`.
        let (body_start, body_end) = (part.offset_body as usize, (part.offset_end as usize).min(bytes.len()));
        let verbatim = part.encoding == mail_parser::Encoding::None
            && bytes.get(body_start..body_end).is_some_and(|raw| raw.starts_with(decoded.as_bytes()));
        let part_name = format!("body {}", k + 1);
        let (own, shift) = if verbatim { (None, body_start) } else { (Some(part_name.as_str()), 0) };
        let label = match (n > 1, html) {
            (false, false) => "body line".to_string(),
            (true, false) => format!("body {} line", k + 1),
            (false, true) => "html body ".to_string(),
            (true, true) => format!("body {} html ", k + 1),
        };
        if html {
            // Rows pasted into an HTML body are paragraphs apart: read them in the HTML's
            // own structure before it joins the message.
            let mut sub = super::html::extract(decoded.as_bytes());
            super::records::detect(&mut sub, false);
            b.append_document(sub, own, shift, &label);
            continue;
        }
        b.set_part(own);
        let mut at = 0;
        for (line_no, line) in decoded.split('\n').enumerate() {
            let line_start = at;
            at += line.len() + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                b.paragraph_break();
            } else {
                b.text_block_mapped(&Mapped::exact(line, shift + line_start), format!("{label} {}", line_no + 1));
            }
        }
        b.set_part(None);
        b.paragraph_break();
    }
    for (k, part) in msg.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(|n| n.chars().filter(|c| !c.is_control() && *c != '!').collect::<String>())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("attachment {}", k + 1));
        // An attachment's name may be a patient's: shown only when it reads like a file name.
        let shown = if crate::text::label::plain_file_name(&name) {
            crate::text::label::escape_controls(&name).into_owned()
        } else {
            match name
                .rsplit_once('.')
                .map(|(_, e)| e)
                .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                Some(ext) => format!("attachment {}.{ext}", k + 1),
                None => format!("attachment {}", k + 1),
            }
        };
        let sub = format!("{member}!{shown}");
        if let Some(inner) = part.message() {
            extract_into(&name, inner.raw_message().to_vec(), Some(Kind::Eml), ctx, sub, out);
        } else {
            let data = part.contents().to_vec();
            if data.len() as u64 > ctx.remaining() {
                out.push(Item {
                    member: sub,
                    result: Err(Problem::Error("not read: over the decompressed size limit for one input".into())),
                });
                continue;
            }
            ctx.charge(data.len() as u64);
            extract_into(&name, data, None, ctx, sub, out);
        }
    }
    Ok(b.finish_with_source(bytes.to_vec()))
}

/// Returns `value` mapped to where it is written in `raw[range]` (a header's raw value):
/// verbatim when it is there as is, else as decoded from the whole range (an encoded word).
fn found_in(raw: &[u8], range: Option<(usize, usize)>, value: &str) -> Mapped {
    let Some((s, e)) = range.filter(|(s, e)| s < e && *e <= raw.len()) else { return Mapped::from_unmapped(value) };
    match memchr::memmem::find(&raw[s..e], value.as_bytes()) {
        Some(p) if !value.is_empty() => Mapped::exact(value, s + p),
        _ => {
            let mut m = Mapped::new();
            m.push_decoded(value, (s, e));
            m
        }
    }
}

/// Returns the addresses of a header as `Name <address>, …`, each name and address mapped to
/// where it is written in the header's raw value.
fn format_addresses(a: &Address<'_>, raw: &[u8], range: Option<(usize, usize)>) -> Mapped {
    let mut out = Mapped::new();
    for x in a.iter() {
        let (name, address) = (x.name(), x.address());
        if name.is_none() && address.is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push_unmapped(", ");
        }
        if let Some(n) = name {
            out.append(&found_in(raw, range, n));
        }
        match (name, address) {
            (Some(_), Some(e)) => {
                out.push_unmapped(" <");
                out.append(&found_in(raw, range, e));
                out.push_unmapped(">");
            }
            (None, Some(e)) => out.append(&found_in(raw, range, e)),
            _ => {}
        }
    }
    out
}

/// Extracts every message of an mbox as a member `!message N`.
pub fn extract_mbox(bytes: &[u8], ctx: &mut Ctx, member: &str, out: &mut Vec<Item>) {
    let max = ctx.limits().max_members;
    let mut n = 0;
    for (i, m) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        if i >= max {
            out.push(Item {
                member: member.to_string(),
                result: Err(Problem::Error(format!(
                    "more than {max} messages, over the limit: messages after the first {max} not scanned"
                ))),
            });
            break;
        }
        n += 1;
        let sub = format!("{member}!message {}", i + 1);
        match m {
            Ok(m) => extract_into("message.eml", m.contents().to_vec(), Some(Kind::Eml), ctx, sub, out),
            Err(_) => out.push(Item { member: sub, result: Err(Problem::Error("unreadable message".into())) }),
        }
    }
    if n == 0 {
        out.push(Item {
            member: member.to_string(),
            result: Err(Problem::Error("not an mbox mailbox (no `From ` line starts a message)".into())),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_past_the_limit_are_an_error() {
        let mut mbox = String::new();
        for k in 0..4 {
            mbox.push_str(&format!("From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nTo: b@example.org\nSubject: {k}\n\nhi\n\n"));
        }
        let limits = crate::extract::Limits { max_members: 3, ..crate::extract::Limits::default() };
        let items = crate::extract::extract("box.mbox", mbox.into_bytes(), Some(Kind::Mbox), limits);
        assert_eq!(items.iter().filter(|i| i.result.is_ok()).count(), 3);
        let over = items.iter().find(|i| i.member.is_empty()).unwrap();
        assert!(
            matches!(&over.result, Err(Problem::Error(m)) if m.contains("more than 3 messages")),
            "{:?}",
            over.result
        );
    }

    #[test]
    fn header_blocks_are_recognised() {
        assert!(looks_like_headers("From: a@example.org\nSubject: hi\n\nbody"));
        assert!(looks_like_headers("Received: x\n  continued\nFrom: a\nTo: b\n"));
        assert!(!looks_like_headers("Subject: hi\n\nno sender"));
        assert!(!looks_like_headers("Dear team, from: me\nTo: you"));
    }
}
