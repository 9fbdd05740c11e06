//! ImageIO: image sources, destinations and codecs (placeholder).
