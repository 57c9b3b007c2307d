import base64
import os
import pathlib
from unittest.mock import patch

from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import PortalNetworkMixin

# where the phone screenshots go (docs/portal.md: "RTL and phone")
SCREENSHOT_DIR = pathlib.Path(
    os.environ.get("AFTERSALES_SCREENSHOT_DIR", "/tmp/aftersales_portal_screenshots")
)

PHONE = (390, 844)  # a phone held upright, in CSS pixels

# runs in the page: RTL, our texts, nothing wider than the phone's screen
CHECK_PAGE = """
(async () => {
    const fail = (msg) => { console.error(msg); };
    const root = document.documentElement;
    if (root.dir !== "rtl") { return fail(`html dir is ${root.dir}`); }
    // Odoo's mirrored stylesheet (made by rtlcss): a start margin is on the right
    const probe = document.createElement("div");
    probe.className = "ms-2";
    document.body.appendChild(probe);
    const mirrored = getComputedStyle(probe).marginRight !== "0px";
    probe.remove();
    if (!mirrored) {
        return fail("the stylesheet is not mirrored (is rtlcss installed?)");
    }
    if (!document.body.textContent.includes(%(text)r)) {
        return fail("missing text: " + %(text)r);
    }
    %(extra)s
    const wide = [...document.querySelectorAll("body *")].filter((el) => {
        if (el.closest(".table-responsive") || !el.checkVisibility({
            visibilityProperty: true, opacityProperty: true,
        })) {
            return false; // scrolls in its own box, or is not shown (the closed menu)
        }
        const box = el.getBoundingClientRect();
        return box.width && (box.left < -1 || box.right > root.clientWidth + 1);
    });
    if (root.scrollWidth > root.clientWidth + 1 || wide.length) {
        const width = `${root.scrollWidth} > ${root.clientWidth}`;
        return fail(`wider than the phone (${width}): `
            + wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 120)).join(" | "));
    }
    // a page with a chatter loads its bundle lazily: wait until it is loaded
    // (and run), so that closing the browser does not break the loading
    if (document.querySelector(".o_portal_chatter")) {
        const loaded = () => performance.getEntriesByType("resource").some(
            (entry) => entry.name.includes("portal.assets_chatter.min.js")
                && entry.responseEnd > 0
        );
        for (let i = 0; i < 150 && !loaded(); i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log("test successful");
})();
"""

TYPE_SERIAL = """
    const serial = document.querySelector("input#serial");
    serial.value = "PS-DEALER-1";
    serial.dispatchEvent(new Event("input", { bubbles: true }));
    for (let i = 0; i < 100; i++) {
        if (document.querySelector(".o_aftersales_serial_answer[data-status]")) {
            break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!document.querySelector(".o_aftersales_serial_answer[data-status]")) {
        return fail("no live answer for the serial");
    }
"""


@tagged("post_install", "-at_install")
class TestPortalRtlPhone(PortalNetworkMixin, HttpCase):
    """The portal in Arabic (right to left) and at a phone's width."""

    browser_size = "%dx%d" % PHONE
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        cls.arabic = cls.env["res.lang"]._activate_lang("ar_001")
        cls.website = cls.env["website"].get_current_website()
        cls.website.language_ids |= cls.arabic

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    def test_arabic_pages_are_right_to_left(self):
        self.assertEqual(self.arabic.url_code, "ar")
        self.authenticate("p_staff", "p_staff")
        page = self._page("/my/tickets")
        self.assertNotEqual(page.get("dir"), "rtl")  # English: left to right
        page = self._page("/ar/my/tickets")
        self.assertEqual(page.get("dir"), "rtl")
        self.assertEqual(
            page.xpath("//tr[hasclass('o_aftersales_ticket_row')]//td[2]/text()"),
            ["Screen flickers (dealer)"],
        )
        self.assertTrue(page.xpath("//a[hasclass('o_aftersales_new_ticket')]"))
        ticket = self.docs["dealer"]["aftersales.ticket"]
        page = self._page(f"/ar/my/tickets/{ticket.id}")
        self.assertEqual(page.get("dir"), "rtl")
        # a phone number keeps its order in a right-to-left page
        self.assertEqual(
            page.xpath(
                "//div[hasclass('o_aftersales_customer_phone')]/bdi[@dir='ltr']/text()"
            ),
            ["+49 151 23454567"],
        )
        page = self._page("/ar/my/tickets/new")
        self.assertEqual(page.get("dir"), "rtl")
        self.assertTrue(page.xpath("//form[hasclass('o_aftersales_ticket_form')]"))
        self.assertTrue(page.xpath("//input[@id='serial']"))

    def _browser_check(self, url, name, text, extra="", login="p_staff"):
        """Check ``url`` in the phone-sized browser, then save a full-page
        screenshot ``name``.png. The browser's wait is wrapped (not replaced):
        once the page's check passed, Chrome's own screenshot is taken."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        path.unlink(missing_ok=True)
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_then_capture(browser, *args, **kwargs):
            # a phone: its viewport, touch, scrollbars over the page (a desktop
            # scrollbar would take 15 of the 390 pixels)
            width, height = PHONE
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={
                    "width": width,
                    "height": height,
                    "deviceScaleFactor": 1,
                    "mobile": True,
                },
            )
            browser._websocket_request(
                "Emulation.setScrollbarsHidden", params={"hidden": True}
            )
            wait_code_ok(browser, *args, **kwargs)
            shot = browser._websocket_request(
                "Page.captureScreenshot",
                params={"format": "png", "captureBeyondViewport": True},
                timeout=30,
            )
            path.write_bytes(base64.b64decode(shot["data"]))

        code = CHECK_PAGE % {"text": text, "extra": extra}
        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.browser_js(url, code, login=login)
        self.assertTrue(path.read_bytes().startswith(b"\x89PNG"), path)

    def test_phone_ticket_list(self):
        self._browser_check(
            "/ar/my/tickets", "ar_my_tickets_phone", "Screen flickers (dealer)"
        )

    def test_phone_new_ticket_form(self):
        self._browser_check(
            "/ar/my/tickets/new",
            "ar_new_ticket_phone",
            "New Service Ticket",
            extra=TYPE_SERIAL,
        )

    def test_phone_ticket_page(self):
        ticket = self.docs["dealer"]["aftersales.ticket"]
        self._browser_check(
            f"/ar/my/tickets/{ticket.id}",
            "ar_ticket_page_phone",
            "Screen flickers (dealer)",
        )

    def test_phone_other_pages(self):
        rma = self.docs["dealer"]["aftersales.rma"]
        for url, name, text, login in (
            ("/ar/my/rmas", "ar_my_rmas_phone", rma.name, "p_staff"),
            (f"/ar/my/rmas/{rma.id}", "ar_rma_page_phone", "TRKDEALER", "p_staff"),
            ("/ar/my/warranties", "ar_my_warranties_phone", "PS-DEALER-1", "p_staff"),
            (
                "/ar/my/warranties/register",
                "ar_warranty_register_phone",
                "Register",
                "p_staff",
            ),
            ("/ar/my/staff", "ar_my_staff_phone", "p_staff", "p_dealer_admin"),
        ):
            with self.subTest(url=url):
                self._browser_check(url, name, text, login=login)
