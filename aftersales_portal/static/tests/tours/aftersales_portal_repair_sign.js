import { registry } from "@web/core/registry";

// A customer opens the quote of a repair, signs it and sees it accepted.
registry.category("web_tour.tours").add("aftersales_portal_repair_sign", {
    steps: () => [
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
