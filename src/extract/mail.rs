//! E-mail: single messages (`.eml`) and mailboxes (mbox), attachments included.
//!
//! Patient details get forwarded. A message's From/To/Cc/Bcc/Reply-To and Subject headers and
//! its text and HTML bodies (base64 and quoted-printable decoded by `mail-parser`, HTML turned
//! into text) make one document, located `header From`, `body line 12`. Attachments, and
//! messages forwarded as attachments, are extracted recursively as members
//! (`mail.eml!labs.csv`), so a CSV attached to an e-mail is read header-aware like any CSV. An
//! mbox yields one member per message (`box.mbox!message 3`).

use super::{extract_into, Builder, Ctx, Document, Item, Kind, Problem};
use mail_parser::{Address, MessageParser, MimeHeaders};

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
    let addresses =
        [("From", msg.from()), ("To", msg.to()), ("Cc", msg.cc()), ("Bcc", msg.bcc()), ("Reply-To", msg.reply_to())];
    for (name, addr) in addresses {
        if let Some(a) = addr {
            b.value(Some(name), &format_addresses(a), format!("header {name}"), None);
        }
    }
    if let Some(s) = msg.subject() {
        b.value(Some("Subject"), s, "header Subject", None);
    }
    b.paragraph_break();
    let bodies = msg.text_bodies().count();
    for i in 0..bodies {
        let Some(body) = msg.body_text(i) else { continue };
        let part = if bodies > 1 { format!("body {} line", i + 1) } else { "body line".to_string() };
        for (k, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                b.paragraph_break();
            } else {
                b.text_block(line, format!("{part} {}", k + 1));
            }
        }
        b.paragraph_break();
    }
    for (k, part) in msg.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(|n| n.chars().filter(|c| !c.is_control() && *c != '!').collect::<String>())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("attachment {}", k + 1));
        let sub = format!("{member}!{name}");
        if let Some(inner) = part.message() {
            extract_into(&name, inner.raw_message().to_vec(), Some(Kind::Eml), ctx, sub, out);
        } else {
            let data = part.contents().to_vec();
            if data.len() as u64 > ctx.remaining() {
                out.push(Item { member: sub, result: Err(Problem::Skip("over the decompressed size limit".into())) });
                continue;
            }
            ctx.charge(data.len() as u64);
            extract_into(&name, data, None, ctx, sub, out);
        }
    }
    Ok(b.finish())
}

fn format_addresses(a: &Address<'_>) -> String {
    a.iter()
        .map(|x| match (x.name(), x.address()) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.to_string(),
            (None, Some(e)) => e.to_string(),
            (None, None) => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Extracts every message of an mbox as a member `!message N`.
pub fn extract_mbox(bytes: &[u8], ctx: &mut Ctx, member: &str, out: &mut Vec<Item>) {
    let max = ctx.limits().max_members;
    let mut n = 0;
    for (i, m) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        if i >= max {
            out.push(Item {
                member: member.to_string(),
                result: Err(Problem::Skip(format!(
                    "more than {max} messages: messages after the first {max} not scanned"
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
    fn header_blocks_are_recognised() {
        assert!(looks_like_headers("From: a@example.org\nSubject: hi\n\nbody"));
        assert!(looks_like_headers("Received: x\n  continued\nFrom: a\nTo: b\n"));
        assert!(!looks_like_headers("Subject: hi\n\nno sender"));
        assert!(!looks_like_headers("Dear team, from: me\nTo: you"));
    }
}
