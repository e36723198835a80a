//! The `Fn::Sub` template language: `${Name}` and `${Resource.Attribute}` placeholders,
//! `${!Literal}` for a literal `${Literal}`.

/// One piece of a `Fn::Sub` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    Text(&'a str),
    /// A placeholder's name, trimmed.
    Var(&'a str),
}

/// Splits a template into text and placeholders. An unclosed `${` is text.
pub(crate) fn parse(template: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("${") {
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        let after = &rest[open + 2..];
        if let Some(literal) = after.strip_prefix('!') {
            // `${!Name}` is the text `${Name}`: emit `${` and go on after the `!`.
            parts.push(Part::Text("${"));
            rest = literal;
            continue;
        }
        match after.find('}') {
            Some(close) => {
                parts.push(Part::Var(after[..close].trim()));
                rest = &after[close + 1..];
            }
            None => {
                parts.push(Part::Text(&rest[open..]));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_literals_and_unclosed() {
        assert_eq!(
            parse("arn:${AWS::Partition}:s3:::${ Bucket }/*"),
            vec![
                Part::Text("arn:"),
                Part::Var("AWS::Partition"),
                Part::Text(":s3:::"),
                Part::Var("Bucket"),
                Part::Text("/*"),
            ]
        );
        assert_eq!(
            parse("${!Literal}-${R.Arn}"),
            vec![
                Part::Text("${"),
                Part::Text("Literal}-"),
                Part::Var("R.Arn"),
            ]
        );
        assert_eq!(parse("a${b"), vec![Part::Text("a"), Part::Text("${b")]);
        assert_eq!(parse(""), Vec::<Part<'_>>::new());
    }
}
