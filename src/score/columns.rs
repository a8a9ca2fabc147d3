//! Columns typed by their contents: tables without a header row.
//!
//! Rows pasted into a ticket rarely bring their header, and an export may have none: then a
//! column says what it is by what it holds. A column of ICD-10 codes is a diagnosis column. A
//! column of `LAST, FIRST` names (one at least known to the name lists), or of first names or
//! surnames (nearly all of them names, one at least not also an ordinary word), is a name
//! column; two neighbouring columns of single capitalised words are `LAST,FIRST` split at the
//! comma when the rows also hold a record number or a date and one of the words is surely a
//! name. A column of record-number shapes (5 to 12 digits, perhaps after a short letter
//! prefix), each value distinct, beside a name column is an MRN column; a column of dates
//! beside a name column whose years spread over several years is a date-of-birth column (visit
//! dates cluster); a column where most cells already hold a diagnosis, medication or procedure
//! is that kind of column. A typed column becomes a field of the same name a header would give
//! it (`patient id`, `date of birth`), so the field rules (see [`super::field`]) then do what
//! they do for a CSV header: an unlabelled 8-digit number becomes an MRN, and each row is a
//! record whose identifier and health fact make a breach.

use super::field::Field;
use super::Scored;
use crate::engine::lexicon::{Lexicon, AMBIGUOUS, FIRST, NOT_NAME, SURNAME};
use crate::engine::Engine;
use crate::extract::Grid;
use crate::finding::Category;

/// What one column's non-empty cells look like.
#[derive(Default)]
struct Column {
    cells: Vec<(usize, usize)>,
    icd: usize,
    icd_dotted: usize,
    dates: usize,
    years: Vec<u32>,
    ids: usize,
    last_first: usize,
    /// `LAST, FIRST` cells whose given name or surname the name lists know for sure.
    known_last_first: usize,
    tokens: usize,
    first_names: usize,
    surnames: usize,
    /// First names and surnames that are not also ordinary words (Hope, Case, Bath).
    sure_first: usize,
    sure_surnames: usize,
    names: usize,
    health: [usize; 3],
}

/// Whether `part` of `of` cells is at least two thirds.
fn most(part: usize, of: usize) -> bool {
    of > 0 && part * 3 >= of * 2
}

/// Returns a field for each cell of each column of `grids` whose contents say what it is.
pub fn type_grids(engine: &Engine, text: &[u8], grids: &[Grid], scored: &[Scored]) -> Vec<Field<'static>> {
    let mut out = Vec::new();
    if grids.is_empty() {
        return out;
    }
    let rules = engine.rules();
    let lex = Lexicon::get();
    for g in grids {
        let width = g.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut cols: Vec<Option<Column>> = (0..width).map(|_| None).collect();
        for (c, slot) in cols.iter_mut().enumerate() {
            if g.named.get(c).copied().unwrap_or(false) {
                continue;
            }
            let mut col = Column::default();
            for row in &g.rows {
                let Some(&(s, e)) = row.get(c).filter(|r| r.0 < r.1 && r.1 <= text.len()) else { continue };
                let cell = &text[s..e];
                col.cells.push((s, e));
                if let Some(dotted) = icd10(cell) {
                    col.icd += 1;
                    col.icd_dotted += usize::from(dotted);
                }
                if let Some(year) = date_year(cell) {
                    col.dates += 1;
                    col.years.extend(year);
                } else if id_shape(cell) {
                    col.ids += 1;
                }
                if last_first(cell) {
                    col.last_first += 1;
                    col.known_last_first += usize::from(known_pair(lex, cell));
                }
                if let Some(first_word) = name_token(cell) {
                    col.tokens += 1;
                    let flags = lex.flags(&first_word.to_ascii_lowercase());
                    let sure = flags & (AMBIGUOUS | NOT_NAME) == 0;
                    col.first_names += usize::from(flags & FIRST != 0);
                    col.surnames += usize::from(flags & SURNAME != 0);
                    col.sure_first += usize::from(flags & FIRST != 0 && sure);
                    col.sure_surnames += usize::from(flags & SURNAME != 0 && sure);
                }
                let inside = scored[scored.partition_point(|x| x.candidate.start < s)..]
                    .iter()
                    .take_while(|x| x.candidate.start < e)
                    // A possible name is not evidence enough to type a column.
                    .filter(|x| x.candidate.end <= e && !x.possible);
                let mut seen = [false; 4];
                for x in inside {
                    match rules[x.candidate.rule].category {
                        Category::Name => seen[0] = true,
                        Category::Diagnosis => seen[1] = true,
                        Category::Medication => seen[2] = true,
                        Category::Procedure => seen[3] = true,
                        _ => {}
                    }
                }
                col.names += usize::from(seen[0]);
                for k in 0..3 {
                    col.health[k] += usize::from(seen[k + 1]);
                }
            }
            *slot = Some(col);
        }
        let types = decide(&cols);
        for (col, name) in cols.iter().zip(types) {
            if let (Some(col), Some(name)) = (col, name) {
                out.extend(col.cells.iter().map(|&(start, end)| Field { start, end, name }));
            }
        }
    }
    out
}

/// Returns the field name each column is typed as, if any.
fn decide(cols: &[Option<Column>]) -> Vec<Option<&'static str>> {
    let mut types: Vec<Option<&'static str>> = vec![None; cols.len()];
    let n = |c: &Column| c.cells.len();
    let tokens = |c: Option<&Column>| c.is_some_and(|c| n(c) >= 2 && most(c.tokens, n(c)));
    for (i, col) in cols.iter().enumerate() {
        let Some(c) = col else { continue };
        types[i] = if most(c.icd, n(c)) && c.icd_dotted * 2 >= c.icd {
            Some("diagnosis code")
        } else if (most(c.last_first, n(c)) && c.known_last_first >= 1)
            || (n(c) >= 2 && most(c.names, n(c)) && c.cells.iter().all(|(s, e)| e - s <= 40))
        {
            Some("patient name")
        } else if tokens(Some(c)) && most(c.first_names, n(c)) && c.sure_first >= 1 {
            Some("first name")
        } else if tokens(Some(c)) && most(c.surnames, n(c)) && c.sure_surnames >= 1 {
            Some("last name")
        } else {
            None
        };
    }
    let shaped = |c: &Column| n(c) >= 1 && (most(c.dates, n(c)) || most(c.ids, n(c)));
    let record_shape = cols.iter().flatten().any(shaped);
    // `LAST,FIRST` split at the comma: two neighbouring word columns in rows that also hold a
    // record number or a date.
    if record_shape {
        for i in 0..cols.len().saturating_sub(1) {
            let sure = |c: Option<&Column>| c.map_or(0, |c| c.sure_first + c.sure_surnames);
            if types[i].is_none()
                && types[i + 1].is_none()
                && tokens(cols[i].as_ref())
                && tokens(cols[i + 1].as_ref())
                && sure(cols[i].as_ref()) + sure(cols[i + 1].as_ref()) >= 1
            {
                types[i] = Some("last name");
                types[i + 1] = Some("first name");
                break;
            }
        }
    }
    let person = types.iter().any(|t| matches!(t, Some("patient name" | "first name" | "last name")));
    for (i, col) in cols.iter().enumerate() {
        let Some(c) = col else { continue };
        if types[i].is_some() {
            continue;
        }
        if person && n(c) >= 2 && most(c.dates, n(c)) && birth_years(&c.years) {
            types[i] = Some("date of birth");
        } else if person && most(c.ids, n(c)) && distinct(c) {
            types[i] = Some("patient id");
        } else if n(c) >= 2 {
            let kinds = ["diagnosis", "medication", "procedure"];
            types[i] = (0..3).find(|&k| c.health[k] >= 2 && c.health[k] * 2 >= n(c)).map(|k| kinds[k]);
        }
    }
    types
}

/// Whether dates' years look like births rather than visits: spread over years, or all long ago.
fn birth_years(years: &[u32]) -> bool {
    let (Some(min), Some(max)) = (years.iter().min(), years.iter().max()) else { return false };
    (years.len() >= 2 && max - min >= 3) || *max < 2000
}

fn distinct(c: &Column) -> bool {
    let mut v: Vec<(usize, usize)> = c.cells.clone();
    v.sort_unstable();
    v.dedup();
    v.len() == c.cells.len()
}

/// Whether `cell` is an ICD-10 code (`E11.65`, `J45.909`, `I10`); `Some(true)` with a dot part.
fn icd10(cell: &[u8]) -> Option<bool> {
    let (head, tail) = match memchr::memchr(b'.', cell) {
        Some(p) => (&cell[..p], Some(&cell[p + 1..])),
        None => (cell, None),
    };
    let ok_head = head.len() == 3
        && head[0].is_ascii_uppercase()
        && head[0] != b'U'
        && head[1].is_ascii_digit()
        && (head[2].is_ascii_digit() || head[2].is_ascii_uppercase());
    let ok_tail = tail
        .is_none_or(|t| (1..=4).contains(&t.len()) && t.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    (ok_head && ok_tail).then_some(tail.is_some())
}

/// Returns the year of a date cell (`1961-04-22`, `04/19/1944`, `19670912`, with a time after
/// it or not): `Some(None)` for a date without a four-digit year.
fn date_year(cell: &[u8]) -> Option<Option<u32>> {
    let s = std::str::from_utf8(cell).ok()?;
    let date = s.split([' ', 'T']).next()?;
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let valid = |y: Option<u32>, m: u32, d: u32| {
        (1..=12).contains(&m) && (1..=31).contains(&d) && y.is_none_or(|y| (1880..=2100).contains(&y))
    };
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (num(y)?, num(m)?, num(d)?);
            valid(Some(y), m, d).then_some(Some(y))
        }
        [m, d, y] if y.len() == 4 || y.len() == 2 => {
            let (m, d, yy) = (num(m)?, num(d)?, num(y)?);
            let year = (y.len() == 4).then_some(yy);
            valid(year, m, d).then_some(year)
        }
        [compact] if matches!(compact.len(), 8 | 12 | 14) && compact.bytes().all(|b| b.is_ascii_digit()) => {
            let (y, m, d) = (compact[..4].parse().ok()?, compact[4..6].parse().ok()?, compact[6..8].parse().ok()?);
            valid(Some(y), m, d).then_some(Some(y))
        }
        _ => None,
    }
}

/// Whether `cell` is shaped like a record number: 6 to 12 digits, or a short letter prefix and
/// 5 to 12 digits (`M00841273`, `QX-4410982`).
fn id_shape(cell: &[u8]) -> bool {
    let letters = cell.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &cell[letters..];
    let rest = rest.strip_prefix(b"-").unwrap_or(rest);
    let digits = rest.len();
    letters <= 3
        && rest.iter().all(u8::is_ascii_digit)
        && if letters == 0 { (6..=12).contains(&digits) } else { (5..=12).contains(&digits) }
}

/// Returns the first word of a cell of one to three capitalised words of letters (a name, a
/// town), if it is one.
fn name_token(cell: &[u8]) -> Option<&[u8]> {
    let s = std::str::from_utf8(cell).ok()?;
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    // Later words may be an initial (`Liam J`, `Ada M.`).
    let word_ok = |k: usize, w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '\u{2019}' | '-' | '.'))
            && w.chars().filter(|c| c.is_alphabetic()).count() >= if k == 0 { 2 } else { 1 }
    };
    ((1..=3).contains(&words.len()) && words.iter().enumerate().all(|(k, w)| word_ok(k, w)))
        .then(|| words[0].as_bytes())
}

/// Whether the name lists know a `LAST, FIRST` cell for sure: its given name is a first name
/// or its surname a surname, either not also an ordinary word (`LOST, CAN` is not a name).
fn known_pair(lex: &Lexicon, cell: &[u8]) -> bool {
    let Some(p) = memchr::memchr(b',', cell) else { return false };
    let word = |s: &[u8]| s.trim_ascii().split(|c| *c == b' ').next().unwrap_or(b"").to_ascii_lowercase();
    let (last, first) = (lex.flags(&word(&cell[..p])), lex.flags(&word(&cell[p + 1..])));
    let sure = |f: u32, kind: u32| f & kind != 0 && f & (AMBIGUOUS | NOT_NAME) == 0;
    sure(first, FIRST) || sure(last, SURNAME)
}

/// Whether `cell` is `LAST, FIRST` (`Vale, Ada`, `O'NEIL, LIAM J`).
fn last_first(cell: &[u8]) -> bool {
    let Some(p) = memchr::memchr(b',', cell) else { return false };
    let (last, first) = (&cell[..p], cell[p + 1..].trim_ascii_start());
    memchr::memchr(b',', first).is_none() && name_token(last).is_some() && name_token(first).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_shapes() {
        assert_eq!(icd10(b"E11.65"), Some(true));
        assert_eq!(icd10(b"I10"), Some(false));
        assert_eq!(icd10(b"e11.65"), None);
        assert_eq!(icd10(b"BED 07"), None);
        assert_eq!(date_year(b"1961-04-22"), Some(Some(1961)));
        assert_eq!(date_year(b"04/19/1944"), Some(Some(1944)));
        assert_eq!(date_year(b"2025-05-19 22:41"), Some(Some(2025)));
        assert_eq!(date_year(b"19670912"), Some(Some(1967)));
        assert_eq!(date_year(b"60218834"), None);
        assert!(id_shape(b"60218834") && id_shape(b"M00841273") && id_shape(b"QX-4410982"));
        assert!(!id_shape(b"0161") && !id_shape(b"BED 07"));
        assert!(last_first(b"VALE, ADA") && last_first(b"O'Neil, Liam J"));
        assert!(!last_first(b"Boston, MA, USA") && !last_first(b"12, 14"));
    }

    fn column(cells: &[&str]) -> Column {
        let mut c = Column::default();
        for (k, cell) in cells.iter().enumerate() {
            let b = cell.as_bytes();
            c.cells.push((k * 100, k * 100 + b.len()));
            c.icd += usize::from(icd10(b).is_some());
            c.icd_dotted += usize::from(icd10(b) == Some(true));
            if let Some(y) = date_year(b) {
                c.dates += 1;
                c.years.extend(y);
            } else {
                c.ids += usize::from(id_shape(b));
            }
            c.last_first += usize::from(last_first(b));
            c.known_last_first += usize::from(last_first(b));
            c.tokens += usize::from(name_token(b).is_some());
        }
        c
    }

    #[test]
    fn columns_are_typed_by_what_they_hold() {
        let cols = vec![
            Some(column(&["QUILL, TOBIN", "VALE, ADA"])),
            Some(column(&["71022018", "71022019"])),
            Some(column(&["1961-04-22", "1948-11-02"])),
            Some(column(&["K50.90", "J45.909"])),
        ];
        assert_eq!(
            decide(&cols),
            vec![Some("patient name"), Some("patient id"), Some("date of birth"), Some("diagnosis code")]
        );
        let mut quill = column(&["QUILL", "VALE"]);
        quill.sure_surnames = 1;
        let split = vec![Some(quill), Some(column(&["TOBIN", "ADA"])), Some(column(&["71022018", "71022019"]))];
        assert_eq!(decide(&split), vec![Some("last name"), Some("first name"), Some("patient id")]);
        // Without a person, numbers and dates stay what the rules make of them.
        let visits = vec![Some(column(&["2025-05-19", "2025-05-20"])), Some(column(&["71022018", "71022019"]))];
        assert_eq!(decide(&visits), vec![None, None]);
    }
}
