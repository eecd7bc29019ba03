//! Gazette offices save text as UTF-8 or, very often on Chinese Windows, as GBK/GB18030. UTF-8 is
//! tried first because a GBK file is almost never valid UTF-8; everything else is read as
//! GB18030 (a superset of GBK and GB2312), and a file that is not valid GB18030 either is refused
//! rather than imported with replacement characters.

use super::ImportError;

/// The text of `bytes` with `\n` line ends and no byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                let line = first_bad_line(&text);
                return Err(ImportError::Encoding { line });
            }
            text.into_owned()
        }
    };
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
}

/// 1-based line of the first replacement character, for the error message.
fn first_bad_line(text: &str) -> usize {
    let offset = text.find('\u{fffd}').unwrap_or(0);
    crate::error::line_of_offset(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_utf8_decode_to_the_same_text() {
        let text = "惠农区人民政府办公室\r\n2022年4月1日\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_ne!(gbk.as_ref(), text.as_bytes());
        let expected = "惠农区人民政府办公室\n2022年4月1日\n";
        assert_eq!(decode(&gbk).unwrap(), expected);
        assert_eq!(decode(text.as_bytes()).unwrap(), expected);
        assert_eq!(decode("\u{feff}公报".as_bytes()).unwrap(), "公报");
    }

    #[test]
    fn undecodable_bytes_are_refused_with_their_line() {
        let err = decode(b"ok\nok\n\x81\x20bad").unwrap_err();
        assert!(matches!(err, ImportError::Encoding { line: 3 }), "{err}");
    }
}
