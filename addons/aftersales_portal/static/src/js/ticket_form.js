/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";
import { _t } from "@web/core/l10n/translation";

// The new-ticket form (/my/tickets/new): the warranty engine's answer for the
// serial while it is typed, and the knowledge centre's articles for the chosen
// product. Only a help: the server checks the form again when it is submitted.

const SERIAL_DELAY = 400;

function statusBadge(status) {
    const badges = {
        in: ["text-bg-success", _t("Under warranty")],
        pending: ["text-bg-info", _t("Awaiting proof of purchase")],
        expired: ["text-bg-secondary", _t("Warranty expired")],
        void: ["text-bg-danger", _t("Warranty void")],
        out: ["text-bg-warning", _t("Not covered")],
    };
    const [cls, label] = badges[status] || badges.out;
    const badge = document.createElement("span");
    badge.className = `badge ${cls} me-2 o_aftersales_serial_status`;
    badge.dataset.status = status;
    badge.textContent = label;
    return badge;
}

function decisionLabel(decision) {
    return (
        {
            covered: _t("Covered by the warranty"),
            partial: _t("Partly covered by the warranty"),
            chargeable: _t("Chargeable"),
        }[decision] || ""
    );
}

function percent(value) {
    // "50%" in the page's language, the sign kept beside its number in RTL
    return (Number(value || 0) / 100).toLocaleString(document.documentElement.lang || undefined, {
        style: "percent",
        maximumFractionDigits: 2,
    });
}

publicWidget.registry.AftersalesTicketForm = publicWidget.Widget.extend({
    selector: ".o_aftersales_ticket_new",
    events: {
        "input input#serial": "_onSerialInput",
        "change select#product_id": "_onProductChange",
    },

    init() {
        this._super(...arguments);
        this._serialRequest = 0;
        this._articleRequest = 0;
        this._checkSerialDebounced = debounce(() => this._checkSerial(), SERIAL_DELAY);
    },

    start() {
        this.serialInput = this.el.querySelector("input#serial");
        this.productSelect = this.el.querySelector("select#product_id");
        this.answerEl = this.el.querySelector(".o_aftersales_serial_answer");
        this.articlesEl = this.el.querySelector(".o_aftersales_suggested_articles");
        if (this.serialInput && this.serialInput.value.trim()) {
            this._checkSerial();
        }
        return this._super(...arguments);
    },

    //--------------------------------------------------------------------------
    // Handlers
    //--------------------------------------------------------------------------

    _onSerialInput() {
        this._checkSerialDebounced();
    },

    _onProductChange() {
        this._suggestArticles();
    },

    //--------------------------------------------------------------------------
    // Serial
    //--------------------------------------------------------------------------

    async _checkSerial() {
        const serial = this.serialInput.value.trim();
        const request = ++this._serialRequest;
        if (!serial) {
            this._renderAnswer(null);
            return;
        }
        let answer;
        try {
            answer = await rpc("/my/tickets/check_serial", { serial });
        } catch {
            answer = { failed: true };
        }
        if (request !== this._serialRequest) {
            return; // a newer serial was typed meanwhile
        }
        this._renderAnswer(answer);
        if (
            answer.product_id &&
            this.productSelect &&
            !this.productSelect.value &&
            this.productSelect.querySelector(`option[value="${answer.product_id}"]`)
        ) {
            this.productSelect.value = String(answer.product_id);
            this._suggestArticles();
        }
    },

    _renderAnswer(answer) {
        const el = this.answerEl;
        el.replaceChildren();
        el.className = "o_aftersales_serial_answer form-text";
        delete el.dataset.status;
        if (!answer) {
            return;
        }
        if (answer.failed) {
            el.classList.add("text-muted");
            el.textContent = _t("The warranty could not be checked now.");
            return;
        }
        if (answer.status === "unknown") {
            el.classList.add("alert", "alert-warning", "py-1", "px-2", "mb-0");
            el.dataset.status = "unknown";
            el.textContent = _t(
                "Unknown serial number: please check it on the label of the device."
            );
            return;
        }
        el.dataset.status = answer.status;
        const head = document.createElement("div");
        head.append(statusBadge(answer.status));
        const decision = decisionLabel(answer.decision);
        if (decision) {
            const span = document.createElement("span");
            span.className = "fw-bold o_aftersales_serial_decision";
            span.textContent = decision;
            head.append(span);
        }
        el.append(head);
        const lines = [];
        if (answer.product) {
            lines.push(answer.product);
        }
        if (answer.date_end) {
            lines.push(_t("Warranty until %s", answer.date_end));
        }
        // coverage only while the warranty runs (out, expired, void: chargeable)
        if (answer.coverage && ["in", "pending"].includes(answer.status)) {
            const cov = answer.coverage;
            lines.push(
                _t(
                    "Parts %(parts)s, labour %(labour)s, travel %(travel)s",
                    {
                        parts: percent(cov.parts),
                        labour: percent(cov.labour),
                        travel: percent(cov.travel),
                    }
                )
            );
            if (cov.deductible) {
                lines.push(
                    _t("Deductible: %(amount)s %(currency)s", {
                        amount: Number(cov.deductible).toLocaleString(
                            document.documentElement.lang || undefined
                        ),
                        currency: cov.currency || "",
                    })
                );
            }
        }
        for (const text of lines) {
            const line = document.createElement("div");
            // <bdi>: a product's "[CODE] Name" keeps its order in a RTL page
            const isolated = document.createElement("bdi");
            isolated.textContent = text;
            line.append(isolated);
            el.append(line);
        }
    },

    //--------------------------------------------------------------------------
    // Articles
    //--------------------------------------------------------------------------

    async _suggestArticles() {
        const productId = parseInt(this.productSelect.value || "0");
        const request = ++this._articleRequest;
        let articles = [];
        if (productId) {
            try {
                articles = await rpc("/my/articles/suggest", { product_id: productId });
            } catch {
                articles = [];
            }
        }
        if (request !== this._articleRequest) {
            return;
        }
        this._renderArticles(articles);
    },

    _renderArticles(articles) {
        const list = this.articlesEl.querySelector("ul");
        list.replaceChildren();
        for (const article of articles) {
            const item = document.createElement("li");
            const link = document.createElement("a");
            link.href = article.url;
            link.target = "_blank";
            link.textContent = article.name;
            item.append(link);
            list.append(item);
        }
        this.articlesEl.classList.toggle("d-none", !articles.length);
    },
});

export default publicWidget.registry.AftersalesTicketForm;
