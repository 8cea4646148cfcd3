import { registry } from "@web/core/registry";

// A 1-pixel PNG: the proof of purchase the customer attaches.
const PROOF_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4//8/AwAI/AL+p5qgoAAAAABJRU5ErkJggg==";

function attachProof(selector) {
    const bytes = Uint8Array.from(atob(PROOF_PNG), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "receipt.png", { type: "image/png" }));
    const input = document.querySelector(selector);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// A customer registers the printer delivered to them, with the receipt,
// then claims under warranty for it and reads the claim's verdict.
registry.category("web_tour.tours").add("aftersales_journey_customer_warranty", {
    steps: () => [
        {
            content: "Type the serial number",
            trigger: "#aftersales_warranty_serial",
            run: "edit JRN-0001",
        },
        {
            content: "Attach the receipt",
            trigger: "#aftersales_warranty_proof",
            run: () => attachProof("#aftersales_warranty_proof"),
        },
        {
            content: "Register the product",
            trigger: "#aftersales_warranty_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Claim for the registered product",
            trigger: "#aftersales_warranty_claim_from_registration",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Ask for a repair",
            trigger: "select#aftersales_warranty_claim_remedy",
            run: "select repair",
        },
        {
            content: "Say what is wrong",
            trigger: "#aftersales_warranty_claim_problem",
            run: "edit The paper feed grinds after ten pages.",
        },
        {
            content: "Submit the claim",
            trigger: "#aftersales_warranty_claim_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim's verdict is shown",
            trigger: "#aftersales_warranty_claim_result",
        },
    ],
});

// The same customer follows the repair from the portal's home and signs
// its quote.
registry.category("web_tour.tours").add("aftersales_journey_customer_repair", {
    steps: () => [
        {
            content: "Open the repairs",
            trigger: "a[href='/my/repairs']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the printer's repair",
            trigger: "tr:has(span:contains(To Sign)) td a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Follow the progress",
            trigger: "#aftersales_repair_progress",
        },
        {
            content: "Open the signature dialog",
            trigger: "#aftersales_repair_sign",
            run: "click",
        },
        {
            content: "Type the name",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit Anna Portal",
        },
        {
            content: "The name is drawn as the signature",
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The quote shows who signed it",
            trigger: "#aftersales_repair_signature:contains(Anna Portal)",
        },
    ],
});
