// Links shown in the page header. There is no API reference page yet: when there is one, set
// its address here and the header shows an "API" link (no link is rendered while it is empty,
// so the page never offers a dead one).
export const API_REFERENCE_URL = '';
