//! CLI tests: the `phiscan` binary driven end to end, one module per area.

mod formats;
mod gate;
mod identifiers;
mod scan;
mod util;
