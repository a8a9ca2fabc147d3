//! CLI tests: the `phiscan` binary driven end to end, one module per area.

mod formats;
mod gate;
mod records;
mod scan;
mod util;
