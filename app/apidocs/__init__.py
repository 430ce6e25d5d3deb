"""The API documentation page: Swagger UI over our OpenAPI document, served from this
server (the flask-swagger-ui package's files), started by our own script under the CSP."""
