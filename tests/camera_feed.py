"""A camera for browser tests: one badge of a built badges.pdf, as a video that Chromium's fake capture device
plays in place of a webcam (`--use-fake-device-for-media-stream --use-fake-ui-for-media-stream
--use-file-for-fake-video-capture=<file.y4m>`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageOps

DPI = 200  # the 24 mm QR code at about 6.5 px a module: read every time from the PNG itself


def badge_png(pdf_path: Path, out_png: Path, page: int = 1, dpi: int = DPI) -> Path:
    """The first badge on page `page` of the PDF (its top-left quarter: badges are printed four to an A4
    sheet), rendered by pdftoppm at `dpi`."""
    out_png = Path(out_png)
    stem = out_png.with_name(out_png.stem + "-page")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf_path), str(stem)], check=True, capture_output=True)
    with Image.open(stem.with_suffix(".png")) as sheet:
        sheet.crop((0, 0, sheet.width // 2, sheet.height // 2)).save(out_png)
    stem.with_suffix(".png").unlink()
    return out_png


def y4m_from_image(png: Path, out_y4m: Path, size: tuple[int, int] = (1280, 720), frames: int = 1,
                   fps: int = 10) -> Path:
    """A still video (YUV4MPEG2, 4:2:0, JPEG-range YCbCr as Pillow converts it) of the picture scaled to fit
    the frame on a grey ground; Chromium plays the file in a loop, so one frame is a camera held still."""
    width, height = size
    assert width % 2 == 0 and height % 2 == 0, "4:2:0 needs even sides"
    with Image.open(png) as image:
        picture = ImageOps.contain(image.convert("RGB"), size, Image.Resampling.LANCZOS)
    frame = Image.new("RGB", size, (128, 128, 128))
    frame.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
    luma, *chroma = frame.convert("YCbCr").split()
    planes = [luma.tobytes()] + [c.resize((width // 2, height // 2), Image.Resampling.BOX).tobytes() for c in chroma]
    header = f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii")
    out_y4m = Path(out_y4m)
    out_y4m.write_bytes(header + (b"FRAME\n" + b"".join(planes)) * frames)
    return out_y4m
