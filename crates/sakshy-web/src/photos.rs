//! Photos residents attach to appeals: real images only (decoded, never trusted by name or declared type),
//! limited in count, bytes and pixels, scaled down and re-encoded as JPEG — which drops every piece of metadata,
//! the GPS position included — before anything is stored.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader, Limits};
use sakshy_store::Photo;

/// The most photos one appeal carries.
pub const MAX_PHOTOS: usize = 3;
/// The largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// The longest side a stored photo keeps, in pixels.
pub const MAX_SIDE_PX: u32 = 2_048;
/// The largest width or height decoded at all, in pixels (a guard against decompression bombs).
const MAX_DECODED_SIDE_PX: u32 = 12_000;

/// Why a photo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// The bytes are not a JPEG, PNG or WebP image.
    #[error("photo {0} is not a JPEG, PNG or WebP image")]
    NotAnImage(usize),
    /// The photo is larger than [`MAX_PHOTO_BYTES`] or than [`MAX_DECODED_SIDE_PX`] on a side.
    #[error("photo {0} is too large")]
    TooLarge(usize),
}

/// Decodes, checks, scales and re-encodes photo number `n` (1-based, for messages).
///
/// # Errors
///
/// [`PhotoError`] naming the photo.
pub fn clean_photo(n: usize, bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge(n));
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage(n))?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoError::NotAnImage(n));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE_PX);
    limits.max_image_height = Some(MAX_DECODED_SIDE_PX);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => PhotoError::TooLarge(n),
        _ => PhotoError::NotAnImage(n),
    })?;
    let image = if image.width().max(image.height()) > MAX_SIDE_PX {
        image.resize(MAX_SIDE_PX, MAX_SIDE_PX, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).encode_image(&rgb).map_err(|_| PhotoError::NotAnImage(n))?;
    Ok(Photo { content_type: "image/jpeg".to_owned(), width: rgb.width(), height: rgb.height(), bytes: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small JPEG with an EXIF segment carrying a GPS tag name, as phones write.
    pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&image).unwrap();
        let payload = b"Exif\0\0MM\0*GPSLatitude 42.29871 GPSLongitude 69.61030";
        let length = (payload.len() + 2) as u16;
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with_exif.extend_from_slice(&length.to_be_bytes());
        with_exif.extend_from_slice(payload);
        with_exif.extend_from_slice(&plain[2..]);
        with_exif
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_and_gps_are_gone_after_cleaning() {
        let original = jpeg_with_exif(64, 48);
        assert!(contains(&original, b"GPSLatitude"), "the fixture carries GPS metadata");
        let cleaned = clean_photo(1, &original).unwrap();
        assert_eq!((cleaned.width, cleaned.height, cleaned.content_type.as_str()), (64, 48, "image/jpeg"));
        assert!(!contains(&cleaned.bytes, b"Exif") && !contains(&cleaned.bytes, b"GPS"));
        assert!(!cleaned.bytes.windows(2).any(|w| w == [0xFF, 0xE1]), "no APP1 segment");
    }

    #[test]
    fn large_photos_are_scaled_down_and_non_images_refused() {
        let big = clean_photo(1, &jpeg_with_exif(3000, 1500)).unwrap();
        assert_eq!((big.width, big.height), (2048, 1024));
        assert_eq!(clean_photo(2, b"%PDF-1.7 not an image"), Err(PhotoError::NotAnImage(2)));
        let mut truncated = jpeg_with_exif(64, 48);
        truncated.truncate(200);
        assert_eq!(clean_photo(3, &truncated), Err(PhotoError::NotAnImage(3)));
        assert_eq!(clean_photo(1, &vec![0xFF; MAX_PHOTO_BYTES + 1]), Err(PhotoError::TooLarge(1)));
    }
}
