# The "before" of the course's image exercise, for `npm run bench` only: one stage, the
# full node image, every dependency (dev included), sources, tests and all.
FROM node:24
WORKDIR /app
COPY . .
RUN npm install
RUN npx tsc -b services/products
CMD ["node", "services/products/dist/server.js"]
