//! Label placement for the chart: every part gets a label that overlaps no other label, no
//! point and no region name. A label goes beside its point when there is room, further out
//! with a leader line when there is not, and as a small number (with the name in a key beside
//! the chart) when the neighbourhood is too crowded even for that.
//!
//! Geometry only, in pixels; the text width is estimated from the character count, generously,
//! so that the boxes hold the rendered text in the usual sans-serif fonts.

/// An axis-aligned box in pixels (`x`, `y` is the top-left corner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether two boxes share any area (touching edges do not overlap).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `self` lies wholly inside `o`.
    pub fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x && self.y >= o.y && self.x + self.w <= o.x + o.w && self.y + self.h <= o.y + o.h
    }

    /// The point of the box nearest to `(px, py)`: where a leader line ends.
    pub fn nearest(&self, px: f64, py: f64) -> (f64, f64) {
        (px.clamp(self.x, self.x + self.w), py.clamp(self.y, self.y + self.h))
    }
}

/// The estimated box of `text` set at `size` pixels.
pub fn text_box(text: &str, size: f64) -> (f64, f64) {
    (text.chars().count() as f64 * size * 0.62 + 2.0, size + 2.0)
}

/// Where one label went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The text drawn on the chart: the label itself, or its key number.
    pub text: String,
    /// Its box.
    pub rect: Rect,
    /// The font size.
    pub size: f64,
    /// Draw a line from the point to the box (the box is not next to the point).
    pub leader: bool,
    /// The key number, when the label was too long for the room near its point.
    pub number: Option<usize>,
}

/// Font size of part labels.
pub const LABEL_SIZE: f64 = 11.0;
/// Font size of key numbers.
pub const NUMBER_SIZE: f64 = 10.0;
/// Half the side of the box kept free around each point.
const MARKER: f64 = 5.0;

/// Places one label per anchor (`labels[i]` for the point at `anchors[i]`) inside `bounds`,
/// avoiding `obstacles` and each other. Returns one placement per anchor (`None` only if not
/// even a key number fits anywhere in `bounds`).
pub fn place(anchors: &[(f64, f64)], labels: &[String], obstacles: &[Rect], bounds: Rect) -> Vec<Option<Placed>> {
    let markers: Vec<Rect> = anchors
        .iter()
        .map(|&(x, y)| Rect {
            x: x - MARKER,
            y: y - MARKER,
            w: 2.0 * MARKER,
            h: 2.0 * MARKER,
        })
        .collect();
    let mut taken: Vec<Rect> = Vec::with_capacity(anchors.len());
    let free = |r: &Rect, taken: &[Rect]| {
        r.inside(&bounds)
            && !taken.iter().any(|t| t.overlaps(r))
            && !markers.iter().any(|m| m.overlaps(r))
            && !obstacles.iter().any(|o| o.overlaps(r))
    };
    // Most crowded first: they have the fewest good spots.
    let crowd = |i: usize| {
        let (x, y) = anchors[i];
        anchors
            .iter()
            .filter(|&&(a, b)| (a - x).abs() < 60.0 && (b - y).abs() < 30.0)
            .count()
    };
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(crowd(i)), i));

    let mut out: Vec<Option<Placed>> = vec![None; anchors.len()];
    let mut numbered: Vec<usize> = Vec::new();
    for &i in &order {
        let (w, h) = text_box(&labels[i], LABEL_SIZE);
        if let Some((rect, leader)) = around(anchors[i], w, h, &[2.0, 8.0, 16.0, 28.0, 44.0, 64.0], |r| {
            free(r, &taken)
        }) {
            taken.push(rect);
            out[i] = Some(Placed {
                text: labels[i].clone(),
                rect,
                size: LABEL_SIZE,
                leader,
                number: None,
            });
        } else {
            numbered.push(i);
        }
    }
    // Key numbers in reading order of their labels, so the key reads alphabetically.
    numbered.sort_by(|&a, &b| labels[a].cmp(&labels[b]).then(a.cmp(&b)));
    for (n, &i) in numbered.iter().enumerate() {
        let text = (n + 1).to_string();
        let (w, h) = text_box(&text, NUMBER_SIZE);
        let spot = around(
            anchors[i],
            w,
            h,
            &[2.0, 8.0, 16.0, 28.0, 44.0, 64.0, 96.0, 140.0],
            |r| free(r, &taken),
        )
        .or_else(|| scan(anchors[i], w, h, &bounds, |r| free(r, &taken)).map(|r| (r, true)));
        if let Some((rect, leader)) = spot {
            taken.push(rect);
            out[i] = Some(Placed {
                text,
                rect,
                size: NUMBER_SIZE,
                leader,
                number: Some(n + 1),
            });
        }
    }
    out
}

/// The first free box around `(x, y)`, ring by ring outwards: `(box, needs a leader line)`.
fn around((x, y): (f64, f64), w: f64, h: f64, radii: &[f64], free: impl Fn(&Rect) -> bool) -> Option<(Rect, bool)> {
    const DIRECTIONS: usize = 16;
    for &r in radii {
        for k in 0..DIRECTIONS {
            // Right first, then left, then the rest: the customary places for a label.
            let a = [0, 8, 1, 15, 7, 9, 2, 14, 6, 10, 4, 12, 3, 13, 5, 11][k] as f64 * std::f64::consts::TAU
                / DIRECTIONS as f64;
            let (c, s) = (a.cos(), a.sin());
            let (ox, oy) = (x + (r + MARKER) * c, y + (r + MARKER) * s);
            let left = if c > 0.3 {
                ox
            } else if c < -0.3 {
                ox - w
            } else {
                ox - w / 2.0
            };
            let top = if s > 0.3 {
                oy
            } else if s < -0.3 {
                oy - h
            } else {
                oy - h / 2.0
            };
            let rect = Rect { x: left, y: top, w, h };
            if free(&rect) {
                return Some((rect, r > 10.0));
            }
        }
    }
    None
}

/// The free box nearest to `(x, y)` on a 4-pixel grid over `bounds`.
fn scan((x, y): (f64, f64), w: f64, h: f64, bounds: &Rect, free: impl Fn(&Rect) -> bool) -> Option<Rect> {
    let mut best: Option<(f64, Rect)> = None;
    let mut top = bounds.y;
    while top + h <= bounds.y + bounds.h {
        let mut left = bounds.x;
        while left + w <= bounds.x + bounds.w {
            let rect = Rect { x: left, y: top, w, h };
            let (nx, ny) = rect.nearest(x, y);
            let d = (nx - x).powi(2) + (ny - y).powi(2);
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) && free(&rect) {
                best = Some((d, rect));
            }
            left += 4.0;
        }
        top += 4.0;
    }
    best.map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_points_get_distinct_boxes() {
        let anchors: Vec<(f64, f64)> = (0..60)
            .map(|i| (300.0 + (i % 6) as f64, 200.0 + (i / 6) as f64))
            .collect();
        let labels: Vec<String> = (0..60).map(|i| format!("part number {i}")).collect();
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 800.0,
            h: 600.0,
        };
        let placed = place(&anchors, &labels, &[], bounds);
        let boxes: Vec<Rect> = placed.iter().map(|p| p.as_ref().unwrap().rect).collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.inside(&bounds));
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        assert!(
            placed.iter().any(|p| p.as_ref().unwrap().number.is_some()),
            "60 points in a 6x10 px patch need numbers"
        );
    }

    #[test]
    fn a_lone_point_is_labelled_beside_it_without_a_leader() {
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 800.0,
            h: 600.0,
        };
        let p = place(&[(100.0, 100.0)], &["H100 SXM5".into()], &[], bounds);
        let p = p[0].as_ref().unwrap();
        assert_eq!((p.text.as_str(), p.leader, p.number), ("H100 SXM5", false, None));
        assert!(p.rect.x > 100.0, "to the right of the point: {:?}", p.rect);
    }
}
