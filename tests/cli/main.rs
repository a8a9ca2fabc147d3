//! CLI tests: the `phiscan` binary driven end to end, one module per area.

mod daily;
mod formats;
mod gate;
mod hostile;
mod identifiers;
mod records;
mod redact;
mod scan;
mod serve;
mod util;
