//! Line/column regions shared by the machine formats.

use trustmap_engine::Location;
use trustmap_source::SourceMap;

/// A 1-based region; `end_column` is exclusive (the column just past the last character),
/// columns count Unicode characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// The region of a resolved location. A span that ends on a line break ends at the end of
/// its last line, not at column 1 of the next.
pub(crate) fn region(sources: &SourceMap, loc: &Location) -> Region {
    let file = sources.get(loc.span.file).filter(|f| f.path == loc.path);
    let end_column = match file {
        Some(f) => {
            let end = f.line_col(loc.span.end);
            if end.line == loc.end_line {
                end.col
            } else {
                let chars = f.line_text(loc.end_line).map_or(0, |t| t.chars().count());
                u32::try_from(chars + 1).unwrap_or(u32::MAX)
            }
        }
        None => loc.end_col,
    };
    let end_column = if loc.end_line == loc.start_line {
        end_column.max(loc.start_col)
    } else {
        end_column.max(1)
    };
    Region {
        start_line: loc.start_line,
        start_column: loc.start_col.max(1),
        end_line: loc.end_line.max(loc.start_line),
        end_column,
    }
}
