//! QR codes for printed documents: a reader of the paper copy scans it and lands on the
//! document's permanent URL. Made at build time as inline SVG, so nothing is fetched.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline `<svg>` QR code for `url`, or `None` if the URL is too long to encode.
pub fn svg_for(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(132, 132)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // Inline in HTML: drop the XML declaration, and describe the image for screen readers.
    let start = image.find("<svg")?;
    Some(image[start..].replacen("<svg", "<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\"", 1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_becomes_an_inline_svg() {
        let svg = super::svg_for("https://www.huinong.gov.cn/gongbao/2022/02/p001.html").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\""), "{svg}");
        assert!(svg.contains("<path") && svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("style="), "inline styles break a strict CSP");
    }
}
