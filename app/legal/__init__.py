"""The pages every public body must offer: accessibility statement (BITV 2.0), privacy
notice (GDPR) and imprint. Administrators edit them; everyone can read them."""
