//! Many growing byte lists kept in a few large blocks: the postings of a key partition while
//! the documents stream in.
//!
//! One `Vec<u8>` per key cost a heap allocation per key (300,000 on the benchmark corpus, most
//! under 16 bytes), and each vector's doubling left on average a third of its capacity unused:
//! 70 MB held for 49 MB of postings, at the build's memory peak. Here a list is a chain of
//! slices cut from blocks, each slice larger than the one before; the last four bytes of a full
//! slice hold the address of the next. Nothing is copied as a list grows, and the unused tail is
//! at most one slice.

/// Slice sizes by position in a list, the last repeated: small first, as most lists stay
/// small (a key seen once holds two to five bytes); growing by about 1.5× so a long list wastes
/// little in its last slice; at most 4 KB so the pointers cost 0.1%.
const SIZES: [u32; 18] = [12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096];
const POINTER: u32 = 4;
const BLOCK_BITS: u32 = 18;
const BLOCK: u32 = 1 << BLOCK_BITS;

/// Where a list is and how far it has been written. 20 bytes, no allocation of its own.
#[derive(Default, Clone, Copy)]
pub struct List {
    head: u32,
    /// Next byte to write; equal to `end` when the slice is full (or none is taken yet).
    at: u32,
    /// Where the current slice's pointer to the next goes.
    end: u32,
    len: u32,
    level: u32,
}

impl List {
    fn len(&self) -> usize {
        self.len as usize
    }
}

/// The blocks the lists of one partition are cut from.
#[derive(Default)]
pub struct Pool {
    blocks: Vec<Box<[u8]>>,
    /// Bytes taken in the last block.
    used: u32,
}

impl Pool {
    pub fn push(&mut self, list: &mut List, byte: u8) {
        if list.at == list.end {
            self.grow(list);
        }
        let (b, i) = split(list.at);
        self.blocks[b][i] = byte;
        list.at += 1;
        list.len += 1;
    }

    /// Appends `v` as a varint: seven bits a byte, low bits first.
    pub fn push_varint(&mut self, list: &mut List, mut v: u32) {
        // Most fit the current slice (a varint is at most five bytes): written in one go, with
        // one check for room and one for the block.
        if list.end - list.at >= 5 {
            let (b, i) = split(list.at);
            let room = &mut self.blocks[b][i..i + 5];
            let mut n = 0;
            while v >= 0x80 {
                room[n] = v as u8 | 0x80;
                v >>= 7;
                n += 1;
            }
            room[n] = v as u8;
            list.at += n as u32 + 1;
            list.len += n as u32 + 1;
            return;
        }
        while v >= 0x80 {
            self.push(list, v as u8 | 0x80);
            v >>= 7;
        }
        self.push(list, v as u8);
    }

    fn grow(&mut self, list: &mut List) {
        let first = list.len == 0;
        let level = if first { 0 } else { (list.level + 1).min(SIZES.len() as u32 - 1) };
        let size = SIZES[level as usize];
        if self.blocks.is_empty() || self.used + size > BLOCK {
            // addresses are 32 bits: 4 GiB of postings in one partition, 80 times the corpus's
            assert!(self.blocks.len() < 1 << (32 - BLOCK_BITS), "search index partition over 4 GiB");
            self.blocks.push(vec![0; BLOCK as usize].into_boxed_slice());
            self.used = 0;
        }
        let start = ((self.blocks.len() as u32 - 1) << BLOCK_BITS) | self.used;
        self.used += size;
        if first {
            list.head = start;
        } else {
            let (b, i) = split(list.end);
            self.blocks[b][i..i + POINTER as usize].copy_from_slice(&start.to_le_bytes());
        }
        list.at = start;
        list.end = start + size - POINTER;
        list.level = level;
    }

    /// Asks the processor to fetch where the next byte of `list` goes.
    #[inline]
    pub fn prefetch(&self, list: &List) {
        if list.at != list.end {
            let (b, i) = split(list.at);
            super::keymap::prefetch(&self.blocks[b][i]);
        }
    }

    /// The bytes of `list`, in order, into `out` (cleared first).
    pub fn read(&self, list: &List, out: &mut Vec<u8>) {
        out.clear();
        let (mut at, mut level) = (list.head, 0usize);
        while out.len() < list.len() {
            let data = (SIZES[level] - POINTER) as usize;
            let (b, i) = split(at);
            let take = data.min(list.len() - out.len());
            out.extend_from_slice(&self.blocks[b][i..i + take]);
            if out.len() < list.len() {
                at = u32::from_le_bytes(self.blocks[b][i + data..i + data + POINTER as usize].try_into().expect("four bytes"));
                level = (level + 1).min(SIZES.len() - 1);
            }
        }
    }
}

fn split(address: u32) -> (usize, usize) {
    ((address >> BLOCK_BITS) as usize, (address & (BLOCK - 1)) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_lists_read_back_whole_and_in_order() {
        let mut pool = Pool::default();
        let mut lists = vec![List::default(); 40];
        let mut expected: Vec<Vec<u8>> = vec![Vec::new(); 40];
        // list k gets 1000·k bytes, written round-robin so that slices of all lists
        // interleave, across several blocks (the longest chains use the 4 KB slices)
        for round in 0..40_000usize {
            for (k, (list, bytes)) in lists.iter_mut().zip(&mut expected).enumerate() {
                if round < k * 1000 {
                    let byte = (round * 31 + k) as u8;
                    pool.push(list, byte);
                    bytes.push(byte);
                }
            }
        }
        assert!(pool.blocks.len() > 1, "the test spans blocks");
        let mut out = Vec::new();
        for (list, bytes) in lists.iter().zip(&expected) {
            pool.read(list, &mut out);
            assert_eq!(&out, bytes);
        }
    }

    #[test]
    fn varints_take_seven_bits_a_byte() {
        let mut pool = Pool::default();
        let mut list = List::default();
        for v in [0, 127, 128, 300, u32::MAX] {
            pool.push_varint(&mut list, v);
        }
        let mut out = Vec::new();
        pool.read(&list, &mut out);
        assert_eq!(out, [0, 127, 0x80, 1, 0xac, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    }
}
