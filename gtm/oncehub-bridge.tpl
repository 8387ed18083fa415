___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_oncehub_bridge",
  "version": 1,
  "securityGroups": [],
  "displayName": "oncehub-bridge: OnceHub bookings as analytics events",
  "categories": ["ANALYTICS", "CONVERSIONS", "UTILITY"],
  "brand": {
    "id": "oncehub_bridge",
    "displayName": "oncehub-bridge"
  },
  "description": "Loads oncehub-bridge on pages that embed an OnceHub booking page or Booking Calendar: each booking becomes a dataLayer event (and, if you choose, a GA4 conversion, a Meta Pixel Schedule event and a redirect to your thank-you page). Fire it on All Pages, before the OnceHub embed.",
  "containerContexts": ["WEB"]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "TEXT",
    "name": "bundleUrl",
    "displayName": "Bundle URL (oncehub-bridge.js on your site)",
    "simpleValueType": true,
    "valueHint": "https://www.example.com/oncehub-bridge/oncehub-bridge.js",
    "help": "Where you uploaded the bundle's folder. Add the same URL under Permissions > Injects scripts.",
    "valueValidators": [
      {"type": "NON_EMPTY"},
      {"type": "REGEX", "args": ["^https://[^/]+/.*oncehub-bridge\\.js$"], "errorMessage": "An https:// URL ending in oncehub-bridge.js"}
    ]
  },
  {
    "type": "CHECKBOX",
    "name": "dataLayer",
    "checkboxText": "Push each booking to the dataLayer (event oncehub_booking_scheduled)",
    "simpleValueType": true,
    "defaultValue": true
  },
  {
    "type": "TEXT",
    "name": "redirectUrl",
    "displayName": "Thank-you page after a booking (optional)",
    "simpleValueType": true,
    "valueHint": "/thank-you?booking={booking_id}",
    "help": "On your own site. Placeholders such as {booking_id}, {subject} or {starting_time} are filled in."
  },
  {
    "type": "CHECKBOX",
    "name": "gtag",
    "checkboxText": "Send a GA4 generate_lead event with gtag (hashed enhanced-conversion data)",
    "simpleValueType": true,
    "defaultValue": false,
    "subParams": [
      {
        "type": "TEXT",
        "name": "gtagSendTo",
        "displayName": "send_to (optional, e.g. AW-123456789/AbC-D_efG)",
        "simpleValueType": true,
        "enablingConditions": [{"paramName": "gtag", "paramValue": true, "type": "EQUALS"}]
      }
    ]
  },
  {
    "type": "CHECKBOX",
    "name": "metaPixel",
    "checkboxText": "Send a Meta Pixel Schedule event (advanced matching, hashed)",
    "simpleValueType": true,
    "defaultValue": false,
    "subParams": [
      {
        "type": "TEXT",
        "name": "metaPixelId",
        "displayName": "Pixel ID (optional when your page has one pixel)",
        "simpleValueType": true,
        "valueValidators": [{"type": "REGEX", "args": ["^([0-9]{5,20})?$"]}],
        "enablingConditions": [{"paramName": "metaPixel", "paramValue": true, "type": "EQUALS"}]
      }
    ]
  },
  {
    "type": "SELECT",
    "name": "consentMode",
    "displayName": "Consent",
    "selectItems": [
      {"value": "off", "displayValue": "Do not check consent"},
      {"value": "on", "displayValue": "Wait for Consent Mode v2 (ad_storage, analytics_storage, ...)"}
    ],
    "simpleValueType": true,
    "defaultValue": "off"
  },
  {
    "type": "CHECKBOX",
    "name": "debug",
    "checkboxText": "Debug lines in the browser console",
    "simpleValueType": true,
    "defaultValue": false
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// Set window.OnceHubBridgeConfig from the fields (SPEC §1), then inject the loader from the site's own bundle URL.
const injectScript = require('injectScript');
const setInWindow = require('setInWindow');
const logToConsole = require('logToConsole');
const queryPermission = require('queryPermission');

const sinks = [];
if (data.dataLayer) sinks.push({type: 'data_layer'});
if (data.gtag) {
  const gtag = {type: 'gtag'};
  if (data.gtagSendTo) gtag.send_to = data.gtagSendTo;
  sinks.push(gtag);
}
if (data.metaPixel) {
  const pixel = {type: 'meta_pixel'};
  if (data.metaPixelId) pixel.pixel_id = data.metaPixelId;
  sinks.push(pixel);
}
if (data.redirectUrl) sinks.push({type: 'redirect', url: data.redirectUrl});

const config = {sinks: sinks};
if (data.consentMode === 'on') config.consent = {mode: 'on'};
if (data.debug) config.debug = true;

if (!queryPermission('inject_script', data.bundleUrl)) {
  logToConsole('oncehub-bridge template: add ' + data.bundleUrl + ' under Permissions > Injects scripts');
  data.gtmOnFailure();
} else if (!setInWindow('OnceHubBridgeConfig', config, true)) {
  logToConsole('oncehub-bridge template: window.OnceHubBridgeConfig could not be set');
  data.gtmOnFailure();
} else {
  injectScript(data.bundleUrl, data.gtmOnSuccess, data.gtmOnFailure, 'oncehub-bridge');
}


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {"publicId": "inject_script", "versionId": "1"},
      "param": [
        {"key": "urls", "value": {"type": 2, "listItem": [
          {"type": 1, "string": "https://www.example.com/oncehub-bridge/oncehub-bridge.js"}
        ]}}
      ]
    },
    "clientAnnotations": {"isEditedByUser": true},
    "isRequired": true
  },
  {
    "instance": {
      "key": {"publicId": "access_globals", "versionId": "1"},
      "param": [
        {"key": "keys", "value": {"type": 2, "listItem": [
          {"type": 3, "mapKey": [
            {"type": 1, "string": "key"}, {"type": 1, "string": "read"},
            {"type": 1, "string": "write"}, {"type": 1, "string": "execute"}
          ], "mapValue": [
            {"type": 1, "string": "OnceHubBridgeConfig"}, {"type": 8, "boolean": false},
            {"type": 8, "boolean": true}, {"type": 8, "boolean": false}
          ]}
        ]}}
      ]
    },
    "clientAnnotations": {"isEditedByUser": true},
    "isRequired": true
  },
  {
    "instance": {
      "key": {"publicId": "logging", "versionId": "1"},
      "param": [{"key": "environments", "value": {"type": 1, "string": "debug"}}]
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Injects the bundle after setting the config
  code: |-
    runCode({bundleUrl: 'https://www.example.com/oncehub-bridge/oncehub-bridge.js', dataLayer: true, consentMode: 'off'});
    assertApi('setInWindow').wasCalledWith('OnceHubBridgeConfig', {sinks: [{type: 'data_layer'}]}, true);
    assertApi('injectScript').wasCalled();


___NOTES___

The loader reads window.OnceHubBridgeConfig when no #oncehub-bridge-config block is on the page.
Docs: docs/gtm-template.md in the oncehub-bridge repository.
