//! CLI tests: the `phiscan` binary driven end to end, one module per area.

mod formats;
mod scan;
mod util;
